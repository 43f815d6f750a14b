import { sql, type Kysely } from 'kysely';
import type { DialectSupport } from '../db/dialects/dialect-support.js';
import type { Tables } from '../db/tables.js';

export interface ConversationCriteria {
  /** Conversations of these customers (`whatsapp_conversaciones.cliente_id`). */
  clienteIds: readonly number[];
  /** Conversations of these numbers (Meta's digits). */
  numbers: readonly string[];
  /** Conversations whose number contains these digits. */
  digits: string | null;
  /** Folded words that must all be in the WhatsApp profile name. */
  profileWords: readonly string[];
}

export interface ConversationHit {
  wa_number: string;
  cliente_id: number | null;
  nombres: string | null;
  profile_name: string | null;
}

/**
 * Conversations matching any of the criteria, most recent customer activity first (never-written
 * last), at most `limit`. The number and profile-name tests scan `whatsapp_conversaciones` (one
 * row per number, not per message).
 */
export async function conversationsMatching(
  db: Kysely<Tables>,
  support: DialectSupport,
  criteria: ConversationCriteria,
  limit: number,
): Promise<ConversationHit[]> {
  const { clienteIds, numbers, digits, profileWords } = criteria;
  if (clienteIds.length === 0 && numbers.length === 0 && !digits && profileWords.length === 0) return [];
  return db
    .selectFrom('whatsapp_conversaciones as w')
    .leftJoin('clientes as c', 'c.id', 'w.cliente_id')
    .select(['w.wa_number', 'w.cliente_id', 'c.nombres', 'w.profile_name'])
    .where((eb) =>
      eb.or([
        ...(clienteIds.length > 0 ? [eb('w.cliente_id', 'in', [...clienteIds])] : []),
        ...(numbers.length > 0 ? [eb('w.wa_number', 'in', [...numbers])] : []),
        ...(digits ? [eb('w.wa_number', 'like', `%${digits}%`)] : []),
        ...(profileWords.length > 0 ? [eb.and(profileWords.map((word) => support.search.containsFolded('w.profile_name', word)))] : []),
      ]),
    )
    .orderBy(sql`case when w.ultimo_entrante_en is null then 1 else 0 end`)
    .orderBy('w.ultimo_entrante_en', 'desc')
    .orderBy('w.wa_number')
    .limit(limit)
    .execute();
}

export interface MessageHit {
  id: number;
  from_number: string;
  to_number: string;
  direccion: 'INBOUND' | 'OUTBOUND';
  body: string | null;
  timestamp: Date;
}

const HIT_COLUMNS = ['id', 'from_number', 'to_number', 'direccion', 'body', 'timestamp'] as const;

/**
 * The newest messages searched row by row first where the search can filter rows without its
 * index (`filtersWithoutIndex`): a word that is in many messages is found among these without
 * reading all of them.
 */
export const RECENT_MESSAGES = 500;

/**
 * Messages whose body holds every word, newest first, at most `limit`, along the full-text index of
 * revision 20261127_03 (`DialectSupport.search`). Empty when no word can be searched for.
 *
 * A database whose search needs the index to filter at all (`filtersWithoutIndex` false) always
 * reads the index: one query. Where the search can also filter row by row, the planner, sure that
 * a few rows of the `(timestamp, id)` index will do, would walk it newest first filtering every
 * row, seconds on millions of rows for a rare word. So: first the newest RECENT_MESSAGES rows,
 * filtered (exact when `limit` of them match: every other match is older); otherwise every match
 * through the full-text index, in a MATERIALIZED CTE the planner cannot turn into the walk, then
 * sorted (docs/decisions.md, "Search, the customer panel, linking a number").
 */
export async function messagesMatching(
  db: Kysely<Tables>,
  support: DialectSupport,
  words: readonly string[],
  limit: number,
): Promise<MessageHit[]> {
  if (support.search.filtersWithoutIndex) {
    const recent = recentMessagesMatchingQuery(db, support, words, limit);
    if (!recent) return [];
    const hits = await recent.execute();
    if (hits.length >= limit) return hits;
  }
  return (await messagesMatchingQuery(db, support, words, limit)?.execute()) ?? [];
}

/** The newest RECENT_MESSAGES messages holding every word (the first step where `filtersWithoutIndex`). */
function recentMessagesMatchingQuery(db: Kysely<Tables>, support: DialectSupport, words: readonly string[], limit: number) {
  const match = support.search.allWords('recent.body', words);
  if (!match) return null;
  return db
    .with(
      (cte) => cte('recent').materialized(),
      (qb) =>
        qb
          .selectFrom('conversaciones_whatsapp')
          .select(HIT_COLUMNS)
          .orderBy('timestamp', 'desc')
          .orderBy('id', 'desc')
          .limit(RECENT_MESSAGES),
    )
    .selectFrom('recent')
    .selectAll()
    .where(match)
    .orderBy('timestamp', 'desc')
    .orderBy('id', 'desc')
    .limit(limit);
}

/** Every message holding every word, through the full-text index, newest first; unexecuted (tests EXPLAIN it). Null when no word can be searched for. */
export function messagesMatchingQuery(db: Kysely<Tables>, support: DialectSupport, words: readonly string[], limit: number) {
  const match = support.search.allWords('body', words);
  if (!match) return null;
  if (!support.search.filtersWithoutIndex) {
    return db
      .selectFrom('conversaciones_whatsapp')
      .select(HIT_COLUMNS)
      .where(match)
      .orderBy('timestamp', 'desc')
      .orderBy('id', 'desc')
      .limit(limit);
  }
  return db
    .with(
      (cte) => cte('hits').materialized(),
      (qb) => qb.selectFrom('conversaciones_whatsapp').select(HIT_COLUMNS).where(match),
    )
    .selectFrom('hits')
    .selectAll()
    .orderBy('timestamp', 'desc')
    .orderBy('id', 'desc')
    .limit(limit);
}
