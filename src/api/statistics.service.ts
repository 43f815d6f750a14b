import type { BaseLogger } from 'pino';
import type { Database } from '../db/database.js';
import { cutIsStale, recountStatistics, statistics, type Statistics } from './statistics.repository.js';

const recounting = new WeakMap<Database, Promise<void>>();

/**
 * The statistics endpoint's reads: answers from the cut and the live tail at once, and when the
 * cut is missing or old starts one background recount per process (never on the request's time).
 */
export function statisticsService(database: Database, log: Pick<BaseLogger, 'warn'>) {
  const recountIfStale = (cutAt: Date | null): void => {
    if (!cutIsStale(cutAt) || recounting.has(database)) return;
    const running = recountStatistics(database.kysely)
      .catch((error: unknown) => log.warn({ err: error }, 'statistics recount failed; the next request tries again'))
      .finally(() => recounting.delete(database));
    recounting.set(database, running);
  };
  return {
    async read(): Promise<Statistics> {
      const { statistics: stats, cutAt } = await statistics(database.kysely);
      recountIfStale(cutAt);
      return stats;
    },
    /** The totals only (no count of the last 24 hours): the listing's `total`. */
    async totals(): Promise<Statistics> {
      const { statistics: stats, cutAt } = await statistics(database.kysely, new Date(), { last24h: false });
      recountIfStale(cutAt);
      return stats;
    },
    /** For tests and shutdown: the recount in progress, if any. */
    settled: (): Promise<void> => recounting.get(database) ?? Promise.resolve(),
  };
}
