import type { BaseLogger } from 'pino';
import type { Database } from '../db/database.js';
import { maskPersonalData } from '../logging/redaction.js';
import type { ClientMessage } from '../graph/client-message.js';
import type { GraphClient } from '../graph/graph-client.js';
import type { OutboundLimiter } from '../graph/outbound-limiter.js';
import { insideServiceWindow } from '../conversations/service-window.js';
import { claimDue, lastInboundTimes, markFailed, markSent, reschedule, type OutboxEntry, type SentReply } from './outbox.repository.js';

const OUTSIDE_WINDOW =
  'Fuera de la ventana de 24 horas: el cliente no escribe desde hace más de 24 h y solo se puede enviar una plantilla aprobada. No se llamó a Meta.';

export interface ReplySenderOptions {
  graph: GraphClient;
  /** The business number's outbound budget, shared by all processes. */
  limiter?: OutboundLimiter;
  batch?: number;
  /** How long a claimed reply stays reserved for this sender. */
  leaseMs?: number;
  /** After this many claims a reply that still cannot go out is marked failed. */
  maxAttempts?: number;
  now?: () => Date;
  /** Every reply that ends failed gets one line here (warn), with Meta's code and the row's id. */
  log?: Pick<BaseLogger, 'warn' | 'info'>;
}

/**
 * Hands replies from the outbox to the Graph API and records what happened on both rows:
 * `respuesta_enviada` and `respuesta_meta_id`, or `error`.
 */
export class ReplySender {
  private readonly batch: number;
  private readonly leaseMs: number;
  private readonly maxAttempts: number;
  private readonly now: () => Date;

  constructor(
    private readonly database: Database,
    private readonly options: ReplySenderOptions,
  ) {
    this.batch = options.batch ?? 50;
    this.leaseMs = options.leaseMs ?? 60_000;
    this.maxAttempts = options.maxAttempts ?? 8;
    this.now = options.now ?? (() => new Date());
  }

  /**
   * Sends what is due now; returns how many replies it handled. The batch shares its database work:
   * one read of the 24-hour windows, one claim on the outbound budget, one transaction recording
   * what reached Meta.
   */
  async runOnce(): Promise<number> {
    const { kysely, support } = this.database;
    const entries = await claimDue(kysely, support, this.batch, this.leaseMs, this.now());
    if (entries.length === 0) return 0;
    const lastInbound = await lastInboundTimes(
      kysely,
      entries.map((e) => e.wa_number),
    );
    const due: { entry: OutboxEntry; message: ClientMessage }[] = [];
    for (const entry of entries) {
      const message = JSON.parse(entry.contenido) as ClientMessage;
      if (message.kind === 'template' || insideServiceWindow(lastInbound.get(entry.wa_number) ?? null, this.now()))
        due.push({ entry, message });
      else await this.fail(entry, OUTSIDE_WINDOW, 'outside_service_window');
    }
    if (due.length === 0) return entries.length;
    // Each window's worth goes out as soon as the budget allows it, not the whole batch at the end.
    const sent: SentReply[] = [];
    const sending: Promise<void>[] = [];
    const step = this.options.limiter?.windowSize ?? due.length;
    for (let i = 0; i < due.length; i += step) {
      const chunk = due.slice(i, i + step);
      await this.options.limiter?.acquire(chunk.length);
      sending.push(...chunk.map(({ entry, message }) => this.send(entry, message, sent)));
    }
    await Promise.all(sending);
    await markSent(kysely, support, sent);
    return entries.length;
  }

  private async send(entry: OutboxEntry, message: ClientMessage, sent: SentReply[]): Promise<void> {
    const { kysely } = this.database;
    const outcome = await this.options.graph.send(entry.wa_number, message);
    if (outcome.ok) sent.push({ entry, wamid: outcome.wamid, recipient: outcome.to });
    else if (outcome.disposition.kind === 'permanent' || entry.intentos >= this.maxAttempts)
      await this.fail(entry, outcome.error, outcome.code ?? (outcome.error.startsWith('network error') ? 'network' : 'http'));
    else {
      const delay = outcome.disposition.kind === 'space' ? outcome.disposition.delayMs : Math.min(60_000, 1000 * 2 ** entry.intentos);
      await reschedule(kysely, entry, new Date(this.now().getTime() + delay), outcome.error);
      this.options.log?.info(
        { conversacion_id: entry.conversacion_id, code: outcome.code, intentos: entry.intentos },
        'reply send failed; will retry',
      );
    }
  }

  /** Records the reply as failed, and says so once in the log (the row's id, never the number or text). */
  private async fail(entry: OutboxEntry, error: string, code: number | string): Promise<void> {
    await markFailed(this.database.kysely, this.database.support, entry, error);
    this.options.log?.warn(
      {
        conversacion_id: entry.conversacion_id,
        entrante_id: entry.entrante_id,
        code,
        intentos: entry.intentos,
        error: maskPersonalData(error),
      },
      'reply not sent: marked failed',
    );
  }
}
