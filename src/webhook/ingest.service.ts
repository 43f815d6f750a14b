import type { Database } from '../db/database.js';
import { storeNotifications } from '../conversations/inbound.repository.js';
import { keepInQuarantine } from '../conversations/quarantine.repository.js';
import { GroupCommitter } from './group-commit.js';
import type { Notification, QuarantinedItem } from '../conversations/messages.js';

export interface IngestOptions {
  defaultCallingCode: string;
  maxBatch?: number;
  maxConcurrentFlushes?: number;
  /** Called after messages (not only statuses) are committed: wakes a worker in this process. */
  onMessagesStored?: () => void;
}

/**
 * Writes webhook notifications durably, sharing transactions between concurrent deliveries. A
 * notification the database refuses is stored item by item, and an item whose values it refuses
 * is quarantined with the database's reason: only a database that cannot take the delivery at all
 * makes it fail (and Meta retry).
 */
export class IngestService {
  private readonly committer: GroupCommitter<Notification>;
  private readonly onMessagesStored: (() => void) | undefined;

  constructor(
    private readonly database: Database,
    private readonly options: IngestOptions,
  ) {
    this.onMessagesStored = options.onMessagesStored;
    this.committer = new GroupCommitter({
      flush: (batch) => this.store(batch),
      maxBatch: options.maxBatch ?? 500,
      maxConcurrentFlushes: options.maxConcurrentFlushes ?? (database.support.concurrentTransactions ? 4 : 1),
    });
  }

  /** Resolves once the notification's messages, statuses and quarantined items are committed. */
  async ingest(notification: Notification): Promise<void> {
    if (notification.messages.length + notification.statuses.length + notification.quarantined.length === 0) return;
    await this.committer.submit(notification);
    if (notification.messages.length > 0) this.onMessagesStored?.();
  }

  private async store(batch: Notification[]): Promise<void> {
    const { kysely, support } = this.database;
    try {
      await storeNotifications(kysely, support, batch, this.options.defaultCallingCode);
    } catch (error) {
      // A batch of several is retried one notification at a time by the group committer.
      if (batch.length > 1 || !support.isDataError(error)) throw error;
      await this.storeItemByItem(batch[0] as Notification);
    }
  }

  private async storeItemByItem(notification: Notification): Promise<void> {
    const { kysely, support } = this.database;
    const refused: QuarantinedItem[] = [];
    const alone = (part: Partial<Notification>): Notification => ({
      messages: [],
      statuses: [],
      quarantined: [],
      repaired: 0,
      errors: [],
      ...part,
    });
    const items = [
      ...notification.messages.map((message) => ({
        part: alone({ messages: [message] }),
        id: message.message_id,
        clase: 'mensaje' as const,
        item: message,
      })),
      ...notification.statuses.map((status) => ({
        part: alone({ statuses: [status] }),
        id: status.message_id,
        clase: 'estado' as const,
        item: status,
      })),
    ];
    for (const { part, id, clase, item } of items) {
      try {
        await storeNotifications(kysely, support, [part], this.options.defaultCallingCode);
      } catch (error) {
        if (!support.isDataError(error)) throw error;
        refused.push({
          clase,
          message_id: id.slice(0, 100),
          motivo: `the database refused it: ${(error as Error).message}`.slice(0, 1000),
          contenido: JSON.stringify(item),
        });
      }
    }
    // Quarantined items of the notification itself, and those the database refused.
    await keepInQuarantine(kysely, support, [...notification.quarantined, ...refused]);
    notification.quarantined.push(...refused);
  }
}
