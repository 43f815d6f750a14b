/**
 * Wakes an idle loop as soon as there is work, instead of at its next poll. A `notify()` with no
 * one waiting is remembered, so work that arrives between "found nothing" and `wait()` is not
 * missed. Polling stays as the fallback: work written by another process only shows up then.
 */
export class Wakeup {
  private waiters: (() => void)[] = [];
  private pending = false;

  notify(): void {
    if (this.waiters.length === 0) {
      this.pending = true;
      return;
    }
    for (const wake of this.waiters.splice(0)) wake();
  }

  /** Resolves on the next `notify()` (or one already pending), or after `ms`. */
  wait(ms: number): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== wake);
        resolve();
      }, ms);
      this.waiters.push(wake);
    });
  }
}
