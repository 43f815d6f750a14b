/**
 * Group commit: submissions that arrive while a flush is running wait and are written together in
 * the next one, so concurrent deliveries share database round trips. At low load a submission is
 * flushed at once (no timer, no added latency); at high load batches grow up to `maxBatch`.
 */
export interface GroupCommitOptions<T> {
  /** Writes a batch durably; resolves only once it is committed. */
  flush: (items: T[]) => Promise<void>;
  maxBatch: number;
  /** Batches written at the same time (at most the connection pool's size). */
  maxConcurrentFlushes: number;
}

interface Waiting<T> {
  item: T;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class GroupCommitter<T> {
  private queue: Waiting<T>[] = [];
  private running = 0;

  constructor(private readonly options: GroupCommitOptions<T>) {}

  submit(item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.pump();
    });
  }

  /** Submissions not yet committed. */
  get pending(): number {
    return this.queue.length;
  }

  private pump(): void {
    while (this.queue.length > 0 && this.running < this.options.maxConcurrentFlushes) {
      const batch = this.queue.splice(0, this.options.maxBatch);
      this.running++;
      void this.write(batch).finally(() => {
        this.running--;
        this.pump();
      });
    }
  }

  /** A failing batch is retried item by item, so one bad submission does not fail its neighbours. */
  private async write(batch: Waiting<T>[]): Promise<void> {
    try {
      await this.options.flush(batch.map((w) => w.item));
      for (const w of batch) w.resolve();
    } catch (error) {
      if (batch.length === 1) {
        batch[0]?.reject(error);
        return;
      }
      for (const w of batch) {
        try {
          await this.options.flush([w.item]);
          w.resolve();
        } catch (single) {
          w.reject(single);
        }
      }
    }
  }
}
