import type { BaseLogger } from 'pino';
import { decide, type BotSettings } from '../bot/bot.service.js';
import { prefetchedBotData } from '../bot/bot-data.js';
import { DEFAULT_TEXTS, type Presentation } from '../bot/replies.js';
import { shippedUnderstanding } from '../understanding/shipped-model.js';
import type { Understanding } from '../understanding/understanding.js';
import type { Database } from '../db/database.js';
import { plainText } from '../graph/client-message.js';
import type { ConversationState } from '../conversations/conversation-state.js';
import {
  ensureConversations,
  lockConversations,
  numbersWithPendingMessages,
  pendingMessages,
  recordReplies,
  skipOldestPending,
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
  /** Where a customer that cannot be answered is reported. */
  log?: Pick<BaseLogger, 'warn' | 'error'>;
  /** The bot's decision (tests replace it to make a message fail). */
  decide?: typeof decide;
  /** What reads the customers' words (unset: the shipped model, loaded or trained once per process). */
  understanding?: Understanding;
}

/** A customer whose messages fail this many times in a row has its oldest one skipped and recorded. */
export const MAX_ATTEMPTS = 3;
/** The pause before a failed customer is tried again: this times the attempts so far. */
const RETRY_STEP_MS = 1000;

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
  /** Customers whose last attempts failed: how many times, and not before when to try again. */
  private readonly failing = new Map<string, { attempts: number; retryAt: number }>();
  private readonly understanding: Understanding;

  constructor(
    private readonly database: Database,
    private readonly options: BotWorkerOptions,
  ) {
    this.understanding = options.understanding ?? shippedUnderstanding().understanding;
  }

  private settings(): BotSettings {
    const { presentation, today } = this.options;
    return { presentation, texts: presentation.texts ?? DEFAULT_TEXTS, understanding: this.understanding, today: today() };
  }

  /** Answers what is waiting now; returns how many messages it processed. */
  async runOnce(): Promise<number> {
    const { kysely, support } = this.database;
    const now = Date.now();
    const numbers = (await numbersWithPendingMessages(kysely, this.options.batch ?? 50)).filter(
      (n) => (this.failing.get(n)?.retryAt ?? 0) <= now,
    );
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
      const processed = await this.answerGroup(numbers);
      for (const number of numbers) this.failing.delete(number);
      return processed;
    } catch {
      let processed = 0;
      for (const number of numbers) processed += await this.answerAlone(number);
      return processed;
    }
  }

  /**
   * One customer in its own transaction. If it fails MAX_ATTEMPTS times in a row (a second, then
   * two, apart), its oldest waiting message is recorded as failed and skipped: one message the bot
   * cannot process never blocks the customer, nor keeps the worker busy forever. The skip is an
   * UPDATE, so while the database is down nothing is skipped.
   */
  private async answerAlone(number: string): Promise<number> {
    try {
      const processed = await this.answerGroup([number]);
      this.failing.delete(number);
      return processed;
    } catch (error) {
      const attempts = (this.failing.get(number)?.attempts ?? 0) + 1;
      if (attempts < MAX_ATTEMPTS) {
        this.failing.set(number, { attempts, retryAt: Date.now() + RETRY_STEP_MS * attempts });
        this.options.log?.error({ err: error, attempts }, 'a customer could not be answered; trying again shortly');
        return 0;
      }
      const reason = `No se pudo procesar tras ${attempts} intentos: ${(error as Error).message ?? String(error)}`.slice(0, 2000);
      const skipped = await skipOldestPending(this.database.kysely, number, reason);
      this.failing.delete(number);
      this.options.log?.warn({ err: error, conversacion_id: skipped, attempts }, 'message skipped: it could not be answered');
      return skipped === null ? 0 : 1;
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
      const settings = this.settings();
      for (const inbound of messages) {
        const state = states.get(inbound.from_number) as ConversationState;
        const decision = await (this.options.decide ?? decide)(
          { type: inbound.message_type, body: inbound.body ?? '', replyId: inbound.reply_id, phoneClienteId: inbound.cliente_id },
          state,
          data,
          settings,
        );
        states.set(inbound.from_number, decision.state);
        const reply = decision.reply
          ? {
              text: plainText(decision.reply),
              type: decision.reply.kind === 'text' ? 'text' : 'interactive',
              payload: JSON.stringify(decision.reply),
            }
          : null;
        records.push({ inbound, state: decision.state, reply, notes: decision.notes });
      }
      await recordReplies(trx, support, records);
      return records.length;
    });
  }
}
