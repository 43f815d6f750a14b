import type { Database } from '../db/database.js';
import type { ClientMessage } from '../graph/client-message.js';
import type { GraphClient } from '../graph/graph-client.js';
import type { OutboundLimiter } from '../graph/outbound-limiter.js';
import { claimDue, lastInboundAt, markFailed, markSent, reschedule, type OutboxEntry } from './outbox.repository.js';

/** Meta's customer-service window: free-form messages only within 24 h of the customer's last message. */
export const SERVICE_WINDOW_MS = 24 * 60 * 60 * 1000;

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
    this.batch = options.batch ?? 20;
    this.leaseMs = options.leaseMs ?? 60_000;
    this.maxAttempts = options.maxAttempts ?? 8;
    this.now = options.now ?? (() => new Date());
  }

  /** Sends what is due now; returns how many replies it handled. */
  async runOnce(): Promise<number> {
    const entries = await claimDue(this.database.kysely, this.batch, this.leaseMs, this.now());
    await Promise.all(entries.map((entry) => this.deliver(entry)));
    return entries.length;
  }

  private async deliver(entry: OutboxEntry): Promise<void> {
    const { kysely, support } = this.database;
    const message = JSON.parse(entry.payload) as ClientMessage;
    if (message.kind !== 'template' && !this.insideWindow(await lastInboundAt(kysely, entry.wa_number))) {
      await markFailed(
        kysely,
        entry,
        'Fuera de la ventana de 24 horas: el cliente no escribe desde hace más de 24 h y solo se puede enviar una plantilla aprobada. No se llamó a Meta.',
      );
      return;
    }
    await this.options.limiter?.acquire();
    const outcome = await this.options.graph.send(entry.wa_number, message);
    if (outcome.ok) return markSent(kysely, support, entry, outcome.wamid, outcome.to);
    if (outcome.disposition.kind === 'permanent' || entry.attempts >= this.maxAttempts) return markFailed(kysely, entry, outcome.error);
    const delay = outcome.disposition.kind === 'space' ? outcome.disposition.delayMs : Math.min(60_000, 1000 * 2 ** entry.attempts);
    await reschedule(kysely, entry, new Date(this.now().getTime() + delay), outcome.error);
  }

  private insideWindow(lastInbound: Date | null): boolean {
    return lastInbound !== null && this.now().getTime() - lastInbound.getTime() <= SERVICE_WINDOW_MS;
  }
}
