import { sql, type ExpressionBuilder, type Kysely } from 'kysely';
import type { Tables } from '../db/tables.js';
import { CharlaError } from '../errors/charla-error.js';
import { MAX_DATABASE_ID } from '../validation/database-id.js';
import { MESSAGE_COLUMNS, toMessageRow, type MessageRow } from './message-row.js';
import { containing } from './sender-numbers.repository.js';
import type { Statistics } from './statistics.repository.js';

/** Where a page of the newest-first listing ends (its last row): the next page starts after it. */
export interface Cursor {
  id: number;
}

/** Opaque to clients: base64url of the last row's id. */
export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(`r${cursor.id}`).toString('base64url');
}

export function decodeCursor(text: string): Cursor {
  const match = /^r(\d{1,10})$/.exec(Buffer.from(text, 'base64url').toString());
  if (!match || Number(match[1]) > MAX_DATABASE_ID)
    throw new CharlaError('HTTP_BAD_REQUEST', 'cursor is not one this API returned; start again without it.');
  return { id: Number(match[1]) };
}

export interface MessageFilter {
  clienteId?: number;
  fromNumber?: string;
  /** Senders whose number contains these digits (sender-numbers.repository.ts `containing`). */
  fromNumberContains?: string;
  /** Senders among these numbers (never empty). */
  fromNumberIn?: readonly string[];
  direccion?: 'INBOUND' | 'OUTBOUND';
}

type Eb = ExpressionBuilder<Tables, 'conversaciones_whatsapp'>;

function filtered(eb: Eb, filter: MessageFilter) {
  const conditions = [];
  if (filter.clienteId !== undefined) conditions.push(eb('cliente_id', '=', filter.clienteId));
  if (filter.fromNumber !== undefined) conditions.push(eb('from_number', '=', filter.fromNumber));
  if (filter.fromNumberContains !== undefined) conditions.push(eb('from_number', 'like', containing(filter.fromNumberContains)));
  if (filter.fromNumberIn !== undefined) conditions.push(eb('from_number', 'in', filter.fromNumberIn));
  if (filter.direccion !== undefined) conditions.push(eb('direccion', '=', filter.direccion));
  return eb.and(conditions);
}

/**
 * Rows strictly older than the cursor's row in (timestamp, id) order. The row's timestamp is read in
 * SQL, at the column's own precision (rows written by the Python system carry microseconds, which a
 * JavaScript Date would lose). The leading `timestamp <= t` gives every database an index range to
 * start from (the OR alone is not one), so a page costs the same however deep it is.
 */
function olderThan(eb: Eb, cursor: Cursor) {
  const at = eb.selectFrom('conversaciones_whatsapp as cursor_row').select('cursor_row.timestamp').where('cursor_row.id', '=', cursor.id);
  return eb.and([eb('timestamp', '<=', at), eb.or([eb('timestamp', '<', at), eb('id', '<', cursor.id)])]);
}

export interface Page {
  rows: MessageRow[];
  total: number;
  /** Set when there may be more rows after this page. */
  nextCursor: string | null;
}

/**
 * The newest-first listing. `offset` pages as the original API did (cost grows with depth);
 * a `cursor` continues after a row (cost independent of depth).
 */
export async function listMessages(
  db: Kysely<Tables>,
  filter: MessageFilter,
  page: { limit: number; offset?: number; cursor?: Cursor },
  /** The table's totals (the statistics), for counts without a number or customer. */
  totals: () => Promise<Pick<Statistics, 'total' | 'inbound' | 'outbound'>>,
): Promise<Page> {
  const rows = await pageOfMessages(db, filter, page);
  return { ...rows, total: await countMessages(db, filter, totals) };
}

/** A LIMIT no page reaches: it keeps a derived table apart from the query around it. */
const ALL_ROWS = 2_147_483_647;

/**
 * A page of the newest-first listing, without its total. `sortMatching`: read every row of the
 * filter along its own index, then sort them, never walking the time index: for a list of senders
 * known to have few rows (the derived table's LIMIT keeps PostgreSQL from flattening it, and so
 * from betting on the time index with its estimate of an IN list; MySQL materialises it).
 */
export async function pageOfMessages(
  db: Kysely<Tables>,
  filter: MessageFilter,
  page: { limit: number; offset?: number; cursor?: Cursor },
  options: { sortMatching?: boolean } = {},
): Promise<Omit<Page, 'total'>> {
  let query = db
    .selectFrom('conversaciones_whatsapp')
    .select(MESSAGE_COLUMNS)
    .where((eb) => filtered(eb, filter));
  if (page.cursor) {
    const cursor = page.cursor;
    query = query.where((eb) => olderThan(eb, cursor));
  }
  const offset = page.cursor ? 0 : (page.offset ?? 0);
  const rows = options.sortMatching
    ? await db
        .selectFrom(query.limit(ALL_ROWS).as('m'))
        .selectAll()
        .orderBy('timestamp', 'desc')
        .orderBy('id', 'desc')
        .limit(page.limit)
        .offset(offset)
        .execute()
    : await query.orderBy('timestamp', 'desc').orderBy('id', 'desc').limit(page.limit).offset(offset).execute();
  const last = rows.at(-1);
  return {
    rows: rows.map(toMessageRow),
    nextCursor: last && rows.length === page.limit ? encodeCursor({ id: last.id }) : null,
  };
}

/**
 * How many rows match. Without a number or customer the count comes from the statistics (a
 * counted cut plus the rows since), so the first page of millions of rows does not scan them all.
 */
export async function countMessages(
  db: Kysely<Tables>,
  filter: MessageFilter,
  totals: () => Promise<Pick<Statistics, 'total' | 'inbound' | 'outbound'>>,
): Promise<number> {
  const bySender = filter.fromNumber !== undefined || filter.fromNumberContains !== undefined || filter.fromNumberIn !== undefined;
  if (filter.clienteId === undefined && !bySender) {
    const stats = await totals();
    if (filter.direccion === 'INBOUND') return stats.inbound;
    if (filter.direccion === 'OUTBOUND') return stats.outbound;
    return stats.total;
  }
  const row = await db
    .selectFrom('conversaciones_whatsapp')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where((eb) => filtered(eb, filter))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function messageById(db: Kysely<Tables>, id: number): Promise<MessageRow | null> {
  const row = await db.selectFrom('conversaciones_whatsapp').select(MESSAGE_COLUMNS).where('id', '=', id).executeTakeFirst();
  return row ? toMessageRow(row) : null;
}

/**
 * A WhatsApp number's thread, both directions, newest first: the two sides are read along their
 * own indexes ((from_number | to_number), timestamp, id) and merged, so the cost is that of `limit`
 * rows whatever the table's size.
 */
export async function threadOf(
  db: Kysely<Tables>,
  number: string,
  page: { limit: number; offset?: number; cursor?: Cursor },
): Promise<Page> {
  const take = page.limit + (page.cursor ? 0 : (page.offset ?? 0));
  const side = (column: 'from_number' | 'to_number') => {
    let query = db.selectFrom('conversaciones_whatsapp').select(MESSAGE_COLUMNS).where(column, '=', number);
    if (page.cursor) {
      const cursor = page.cursor;
      query = query.where((eb) => olderThan(eb, cursor));
    }
    return query.orderBy('timestamp', 'desc').orderBy('id', 'desc').limit(take);
  };
  // The rows and the count go to the database at once, on two connections.
  const [rows, count] = await Promise.all([
    db
      .selectFrom(sql<Record<string, unknown>>`((${side('from_number')}) union all (${side('to_number')}))`.as('t'))
      .selectAll()
      .orderBy('timestamp', 'desc')
      .orderBy('id', 'desc')
      .limit(page.limit)
      .offset(page.cursor ? 0 : (page.offset ?? 0))
      .execute(),
    // Index-only counts of both sides (a number never writes to itself, so the sides do not overlap).
    db
      .selectNoFrom((eb) => [
        eb.selectFrom('conversaciones_whatsapp').select(eb.fn.countAll<string>().as('n')).where('from_number', '=', number).as('sent'),
        eb.selectFrom('conversaciones_whatsapp').select(eb.fn.countAll<string>().as('n')).where('to_number', '=', number).as('received'),
      ])
      .executeTakeFirstOrThrow(),
  ]);
  const typed = rows as unknown as Parameters<typeof toMessageRow>[0][];
  const last = typed.at(-1);
  return {
    rows: typed.map(toMessageRow),
    total: Number(count.sent) + Number(count.received),
    nextCursor: last && typed.length === page.limit ? encodeCursor({ id: last.id }) : null,
  };
}
