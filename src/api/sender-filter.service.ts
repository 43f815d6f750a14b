import type { BaseLogger } from 'pino';
import type { Database } from '../db/database.js';
import { backgroundRefresh } from './background-refresh.js';
import { listMessages, pageOfMessages, type Cursor, type MessageFilter, type Page } from './messages.repository.js';
import {
  cutIsStale,
  cutSendersContaining,
  liveSendersContaining,
  refreshSenderNumbers,
  sendersCut,
  type Direction,
  type SendersPart,
} from './sender-numbers.repository.js';
import type { Statistics } from './statistics.repository.js';

/** Up to this many matching numbers are read along their own index (an IN list); beyond, along time. */
export const MAX_LISTED_NUMBERS = 500;
/** Cut parts kept per process (the least recently used go first); each is at most MAX_LISTED_NUMBERS numbers. */
const CACHED_CUT_PARTS = 256;

const refresh = backgroundRefresh(
  (database) => refreshSenderNumbers(database.kysely),
  cutIsStale,
  'sender numbers refresh failed; the next filtered request tries again',
);
/** The cut's part per (cut, direction, digits): a cut never changes once made, so neither does its part. */
const cutParts = new WeakMap<Database, Map<string, SendersPart>>();

/** The senders containing the digits, cut and live part together. */
interface MatchingSenders {
  messages: number;
  /** Null when more than MAX_LISTED_NUMBERS. */
  numbers: readonly string[] | null;
  cutAt: Date | null;
}

function cachedParts(database: Database): Map<string, SendersPart> {
  let parts = cutParts.get(database);
  if (!parts) cutParts.set(database, (parts = new Map<string, SendersPart>()));
  return parts;
}

/**
 * The cut and the live part in one repeatable-read snapshot, so a cut moving meanwhile is neither
 * counted twice nor missed. The cut's part comes from the process's cache when it has it: the filter
 * box asks for the same short fragments (`5`, `58`, `5841`) over and over, and summing the messages
 * of the 100,000 numbers that contain them is most of such a request.
 */
async function matchingSenders(database: Database, digits: string, direccion: Direction | undefined): Promise<MatchingSenders> {
  const parts = cachedParts(database);
  return database.kysely
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      const cut = await sendersCut(trx);
      const key = `${cut.hastaId} ${direccion ?? ''} ${digits}`;
      let cutPart = parts.get(key);
      if (cutPart) parts.delete(key);
      else cutPart = await cutSendersContaining(trx, digits, direccion, MAX_LISTED_NUMBERS);
      parts.set(key, cutPart);
      if (parts.size > CACHED_CUT_PARTS) parts.delete(parts.keys().next().value as string);
      const live = await liveSendersContaining(trx, digits, direccion, cut.hastaId, cutPart.numbers ? MAX_LISTED_NUMBERS : 0);
      const numbers = cutPart.numbers && live.numbers ? [...new Set([...cutPart.numbers, ...live.numbers])] : null;
      return {
        messages: cutPart.messages + live.messages,
        numbers: numbers && numbers.length <= MAX_LISTED_NUMBERS ? numbers : null,
        cutAt: cut.at,
      };
    });
}

/**
 * The listing filtered by part of a sender's number (docs/decisions.md, "Filtering by part of a
 * number"): the matching numbers and their message counts first (the total, exact), then the page
 * along whichever index reads fewer rows. Starts one background refresh of the numbers' cut per
 * process when it is old (never on the request's time).
 */
export function senderFilterService(database: Database, log: Pick<BaseLogger, 'warn'>) {
  const refreshing = refresh(database, log);
  return {
    async list(
      digits: string,
      filter: { direccion?: Direction; clienteId?: number },
      page: { limit: number; offset?: number; cursor?: Cursor },
      /** The table's totals (the statistics): how many rows walking the time index passes. */
      totals: () => Promise<Pick<Statistics, 'total' | 'inbound' | 'outbound'>>,
    ): Promise<Page> {
      const db = database.kysely;
      const byDigits: MessageFilter = { ...filter, fromNumberContains: digits };
      // A customer's messages are few: read and counted along the customer's index.
      if (filter.clienteId !== undefined) return listMessages(db, byDigits, page, totals);
      const senders = await matchingSenders(database, digits, filter.direccion);
      refreshing.ifStale(senders.cutAt);
      if (senders.messages === 0) return { rows: [], total: 0, nextCursor: null };
      const stats = await totals();
      const all = filter.direccion === 'INBOUND' ? stats.inbound : filter.direccion === 'OUTBOUND' ? stats.outbound : stats.total;
      // Along the numbers' index every matching row is read and sorted (a cost known in advance);
      // walking the time index reads about wanted × all / matching rows until the page is full, if
      // the matching rows are spread evenly over time, which they need not be. On a tie, the former.
      const wanted = page.limit + (page.cursor ? 0 : (page.offset ?? 0));
      const numbers = senders.numbers ?? [];
      const rows =
        numbers.length > 0 && senders.messages * senders.messages <= wanted * all
          ? await pageOfMessages(db, { ...filter, fromNumberIn: numbers }, page, { sortMatching: true })
          : await pageOfMessages(db, byDigits, page);
      return { ...rows, total: senders.messages };
    },
    /** For tests and shutdown: the refresh in progress, if any. */
    settled: refreshing.settled,
  };
}
