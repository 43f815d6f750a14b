import type { BaseLogger } from 'pino';
import type { Database } from '../db/database.js';

/** A refresh of one database's counted cut that runs in the background, at most one at a time per process. */
export interface BackgroundRefresh {
  /** Starts the refresh unless one is running or the cut is fresh enough (`isStale`); never waits for it. */
  ifStale: (cutAt: Date | null) => void;
  /** For tests and shutdown: the refresh in progress, if any. */
  settled: () => Promise<void>;
}

/**
 * One background refresh per database per process (the statistics' recount, the sender numbers'
 * cut): a request never waits for it, a failure is logged with `failure` and left for the next
 * request to retry, and shutdown can wait for the one in progress.
 */
export function backgroundRefresh(
  refresh: (database: Database) => Promise<unknown>,
  isStale: (cutAt: Date | null) => boolean,
  failure: string,
): (database: Database, log: Pick<BaseLogger, 'warn'>) => BackgroundRefresh {
  const running = new WeakMap<Database, Promise<void>>();
  return (database, log) => ({
    ifStale: (cutAt) => {
      if (!isStale(cutAt) || running.has(database)) return;
      const started = refresh(database)
        .then(() => undefined)
        .catch((error: unknown) => log.warn({ err: error }, failure))
        .finally(() => running.delete(database));
      running.set(database, started);
    },
    settled: () => running.get(database) ?? Promise.resolve(),
  });
}
