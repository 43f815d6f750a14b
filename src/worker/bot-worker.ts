import { decide } from '../bot/bot.service.js';
import { crmBotData } from '../bot/crm-bot-data.js';
import type { Presentation } from '../bot/replies.js';
import type { Database } from '../db/database.js';
import { plainText } from '../graph/client-message.js';
import {
  ensureConversations,
  lockConversation,
  numbersWithPendingMessages,
  oldestPending,
  recordReply,
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

/**
 * Claims unprocessed inbound messages and answers them: per message, one transaction records the
 * bot's decision (reply row, outbox entry, inbound row processed and linked, conversation state).
 * A worker killed at any instant leaves each message either answered once or not at all.
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
    await ensureConversations(kysely, support, numbers);
    let processed = 0;
    let next = 0;
    const answerer = async (): Promise<void> => {
      for (let number = numbers[next++]; number !== undefined; number = numbers[next++]) {
        while (await this.answerNext(number)) processed++;
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.options.concurrency ?? 1, numbers.length) }, answerer));
    return processed;
  }

  /** Answers the oldest waiting message of `number`; false when none, or another worker holds the customer. */
  private async answerNext(number: string): Promise<boolean> {
    const { kysely, support } = this.database;
    return kysely.transaction().execute(async (trx) => {
      const state = await lockConversation(trx, number);
      if (!state) return false;
      const inbound = await oldestPending(trx, number);
      if (!inbound) return false;
      const decision = await decide(
        { type: inbound.message_type, body: inbound.body ?? '', replyId: inbound.reply_id, phoneClienteId: inbound.cliente_id },
        state,
        crmBotData(trx, this.options.today),
        this.options.presentation,
      );
      const reply = decision.reply
        ? {
            text: plainText(decision.reply),
            type: decision.reply.kind === 'text' ? 'text' : 'interactive',
            payload: JSON.stringify(decision.reply),
          }
        : null;
      await recordReply(trx, support, { inbound, state: decision.state, reply });
      return true;
    });
  }
}
