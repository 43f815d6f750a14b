import type { Database } from '../db/database.js';
import { storeNotifications } from '../conversations/inbound.repository.js';
import { GroupCommitter } from './group-commit.js';
import type { Notification } from './inbound-message.js';

export interface IngestOptions {
  defaultCallingCode: string;
  maxBatch?: number;
  maxConcurrentFlushes?: number;
  /** Called after messages (not only statuses) are committed: wakes a worker in this process. */
  onMessagesStored?: () => void;
}

/** Writes webhook notifications durably, sharing transactions between concurrent deliveries. */
export class IngestService {
  private readonly committer: GroupCommitter<Notification>;
  private readonly onMessagesStored: (() => void) | undefined;

  constructor(database: Database, options: IngestOptions) {
    this.onMessagesStored = options.onMessagesStored;
    this.committer = new GroupCommitter({
      flush: (batch) => storeNotifications(database.kysely, database.support, batch, options.defaultCallingCode),
      maxBatch: options.maxBatch ?? 500,
      maxConcurrentFlushes: options.maxConcurrentFlushes ?? (database.url.kind === 'pglite' ? 1 : 4),
    });
  }

  /** Resolves once the notification's messages and statuses are committed. */
  async ingest(notification: Notification): Promise<void> {
    if (notification.messages.length === 0 && notification.statuses.length === 0) return;
    await this.committer.submit(notification);
    if (notification.messages.length > 0) this.onMessagesStored?.();
  }
}
