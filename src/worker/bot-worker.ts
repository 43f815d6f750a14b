import { decide } from '../bot/bot.service.js';
import { prefetchedBotData } from '../bot/crm-bot-data.js';
import type { Presentation } from '../bot/replies.js';
import type { Database } from '../db/database.js';
import { plainText } from '../graph/client-message.js';
import type { ConversationState } from '../bot/bot.service.js';
import {
  ensureConversations,
  lockConversations,
  numbersWithPendingMessages,
  pendingMessages,
  recordReplies,
  type ReplyRecord,
} from './inbound-queue.repository.js';

export interface BotWorkerOptions {
  presentation: Presentation;
  /** The lender's calendar date, `YYYY-MM-DD`. */
  today: () => string;
  /** How many customers to look at per round. */
  batch?: number;
  /** How many customers are answered at once (each in its own transaction and connection). */
  concurrency?: number;
}

/** At most this many messages are answered in one transaction. */
const MESSAGES_PER_ROUND = 200;

/**
 * Claims unprocessed inbound messages and answers them. A group of customers is answered in one
 * transaction: their conversations locked, their waiting messages answered in the order sent, and
 * for each message the reply row, outbox entry, inbound row processed and linked, and conversation
 * state written together. A worker killed at any instant leaves each message answered once or not
 * at all. A group that fails is retried customer by customer, so one bad message holds up only its
 * own customer.
 */
export class BotWorker {
  constructor(
    private readonly database: Database,
    private readonly options: BotWorkerOptions,
  ) {}

  /** Answers what is waiting now; returns how many messages it processed. */
  async runOnce(): Promise<number> {
    const { kysely, support } = this.database;
    const numbers = await numbersWithPendingMessages(kysely, this.options.batch ?? 50);
    if (numbers.length === 0) return 0;
    await ensureConversations(kysely, support, numbers);
    const concurrency = Math.min(this.options.concurrency ?? 1, numbers.length);
    const size = Math.ceil(numbers.length / concurrency);
    const groups = Array.from({ length: concurrency }, (_, i) => numbers.slice(i * size, (i + 1) * size)).filter((g) => g.length > 0);
    const counts = await Promise.all(groups.map((group) => this.answerGroupOrEach(group)));
    return counts.reduce((sum, n) => sum + n, 0);
  }

  private async answerGroupOrEach(numbers: string[]): Promise<number> {
    try {
      return await this.answerGroup(numbers);
    } catch (error) {
      if (numbers.length === 1) throw error;
      let processed = 0;
      for (const number of numbers) processed += await this.answerGroup([number]);
      return processed;
    }
  }

  /** Answers the waiting messages of the customers in `numbers` that no other worker holds. */
  private async answerGroup(numbers: string[]): Promise<number> {
    const { kysely, support } = this.database;
    return kysely.transaction().execute(async (trx) => {
      const states = await lockConversations(trx, numbers);
      if (states.size === 0) return 0;
      const messages = await pendingMessages(trx, [...states.keys()], MESSAGES_PER_ROUND);
      const known = [...[...states.values()].map((s) => s.clienteId), ...messages.map((m) => m.cliente_id)].filter((id) => id !== null);
      const data = await prefetchedBotData(trx, this.options.today, known);
      const records: ReplyRecord[] = [];
      for (const inbound of messages) {
        const state = states.get(inbound.from_number) as ConversationState;
        const decision = await decide(
          { type: inbound.message_type, body: inbound.body ?? '', replyId: inbound.reply_id, phoneClienteId: inbound.cliente_id },
          state,
          data,
          this.options.presentation,
        );
        states.set(inbound.from_number, decision.state);
        const reply = decision.reply
          ? {
              text: plainText(decision.reply),
              type: decision.reply.kind === 'text' ? 'text' : 'interactive',
              payload: JSON.stringify(decision.reply),
            }
          : null;
        records.push({ inbound, state: decision.state, reply });
      }
      await recordReplies(trx, support, records);
      return records.length;
    });
  }
}
