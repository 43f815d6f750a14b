import type { BaseLogger } from 'pino';
import type { Database } from '../db/database.js';
import { backgroundRefresh } from './background-refresh.js';
import { cutIsStale, recountStatistics, statistics, type Statistics } from './statistics.repository.js';

const recount = backgroundRefresh(
  (database) => recountStatistics(database.kysely),
  cutIsStale,
  'statistics recount failed; the next request tries again',
);

/**
 * The statistics endpoint's reads: answers from the cut and the live tail at once, and when the
 * cut is missing or old starts one background recount per process (never on the request's time).
 */
export function statisticsService(database: Database, log: Pick<BaseLogger, 'warn'>) {
  const recounting = recount(database, log);
  return {
    async read(): Promise<Statistics> {
      const { statistics: stats, cutAt } = await statistics(database.kysely);
      recounting.ifStale(cutAt);
      return stats;
    },
    /** The totals only (no count of the last 24 hours): the listing's `total`. */
    async totals(): Promise<Statistics> {
      const { statistics: stats, cutAt } = await statistics(database.kysely, new Date(), { last24h: false });
      recounting.ifStale(cutAt);
      return stats;
    },
    /** For tests and shutdown: the recount in progress, if any. */
    settled: recounting.settled,
  };
}
