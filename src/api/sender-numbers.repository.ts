import type { Kysely, Transaction } from 'kysely';
import { perRow } from '../db/per-row.js';
import type { Tables } from '../db/tables.js';
import { newestSettledId } from './statistics.repository.js';

/**
 * The sender numbers of `conversaciones_whatsapp` and how many messages each sent, for filtering by
 * part of a number (docs/decisions.md, "Filtering by part of a number"): the cut in
 * `whatsapp_remitentes` (messages with id ≤ `whatsapp_cortes.hasta_id`) plus the newer messages,
 * read live along the primary key from the cut's id (sent as a value, so each database plans the
 * live part as the short range it is).
 */

const CUT_KEY = 'remitentes';
/**
 * Rows younger than this are left to the live part: a transaction still open may hold a lower id
 * than one already committed, and the cut must not pass it. Charla's writing transactions last
 * milliseconds; a sender never changes once written, so a minute is plenty.
 */
export const SETTLE_MS = 60_000;
/** A cut older than this is moved forward in the background, so the live part stays a few minutes of messages. */
export const REFRESH_AFTER_MS = 60_000;
/** Numbers written per statement when the cut moves (three CASEs of this many pairs stay far below the drivers' parameter limits). */
const WRITE_CHUNK = 500;

export type Direction = 'INBOUND' | 'OUTBOUND';

const countColumn = (direccion: Direction | undefined) =>
  direccion === 'INBOUND' ? 'entrantes' : direccion === 'OUTBOUND' ? 'salientes' : 'mensajes';

/** The LIKE pattern of a sender containing `digits` (digits only: nothing in them is a wildcard). */
export function containing(digits: string): string {
  if (!/^\d+$/.test(digits)) throw new Error(`containing() takes digits only, not "${digits}"`);
  return `%${digits}%`;
}

/** The cut's senders containing `digits` that sent messages (of `direccion`). */
function cutSenders(db: Kysely<Tables>, digits: string, direccion: Direction | undefined) {
  return db.selectFrom('whatsapp_remitentes').where('numero', 'like', containing(digits)).where(countColumn(direccion), '>', 0);
}

/** The live part's messages (after `afterId`, along the primary key) from senders containing `digits`. */
function liveMessages(db: Kysely<Tables>, digits: string, direccion: Direction | undefined, afterId: number) {
  const query = db.selectFrom('conversaciones_whatsapp').where('id', '>', afterId).where('from_number', 'like', containing(digits));
  return direccion === undefined ? query : query.where('direccion', '=', direccion);
}

/** Messages with id ≤ `hastaId` are counted in `whatsapp_remitentes`; `at`: when it was moved (null: never). */
export interface SendersCut {
  hastaId: number;
  at: Date | null;
}

export async function sendersCut(db: Kysely<Tables>): Promise<SendersCut> {
  const cut = await db.selectFrom('whatsapp_cortes').select(['hasta_id', 'calculado_en']).where('clave', '=', CUT_KEY).executeTakeFirst();
  return { hastaId: cut?.hasta_id ?? 0, at: cut?.calculado_en ?? null };
}

/** The senders containing some digits in one part (the cut, or the live part) and their messages. */
export interface SendersPart {
  messages: number;
  /** The numbers, when there are at most the `listUpTo` asked for; null when there are more. */
  numbers: readonly string[] | null;
}

/**
 * The cut's part: the numbers and their messages in one scan of `whatsapp_remitentes` (a few
 * megabytes at 100,000 numbers), or, when there are more than `listUpTo`, their sum in a second.
 * Read in the same snapshot as the cut's row (a repeatable-read transaction), or it may be of another cut.
 */
export async function cutSendersContaining(
  db: Kysely<Tables>,
  digits: string,
  direccion: Direction | undefined,
  listUpTo: number,
): Promise<SendersPart> {
  const column = countColumn(direccion);
  const listed = await cutSenders(db, digits, direccion)
    .select((eb) => ['numero', eb.ref(column).$castTo<number | string>().as('n')])
    .limit(listUpTo + 1)
    .execute();
  if (listed.length <= listUpTo)
    return { messages: listed.reduce((sum, row) => sum + Number(row.n), 0), numbers: listed.map((row) => row.numero) };
  const sum = await cutSenders(db, digits, direccion)
    .select((eb) => eb.fn.sum<number | string | null>(column).as('n'))
    .executeTakeFirstOrThrow();
  return { messages: Number(sum.n ?? 0), numbers: null };
}

/** The live part: the messages after the cut (`afterId`), along the primary key; listed by sender when `listUpTo` > 0. */
export async function liveSendersContaining(
  db: Kysely<Tables>,
  digits: string,
  direccion: Direction | undefined,
  afterId: number,
  listUpTo: number,
): Promise<SendersPart> {
  if (listUpTo > 0) {
    const listed = await liveMessages(db, digits, direccion, afterId)
      .select((eb) => ['from_number', eb.fn.countAll<number | string>().as('n')])
      .groupBy('from_number')
      .limit(listUpTo + 1)
      .execute();
    if (listed.length <= listUpTo)
      return { messages: listed.reduce((sum, row) => sum + Number(row.n), 0), numbers: listed.map((row) => row.from_number) };
  }
  const count = await liveMessages(db, digits, direccion, afterId)
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  return { messages: Number(count.n), numbers: null };
}

/** True when the cut was never made or is older than REFRESH_AFTER_MS. */
export function cutIsStale(cutAt: Date | null, now = new Date()): boolean {
  return cutAt === null || now.getTime() - cutAt.getTime() > REFRESH_AFTER_MS;
}

interface SenderCounts {
  mensajes: number;
  entrantes: number;
  salientes: number;
}

/**
 * Moves the cut to the newest message created more than SETTLE_MS before `now`: the messages since
 * the last cut, counted per sender along the primary key, added to `whatsapp_remitentes`. One
 * transaction holding the cut's row, so concurrent refreshes (several processes) wait and then find
 * nothing left to add; the reads are plain (MySQL takes no locks on the messages they count).
 */
export async function refreshSenderNumbers(db: Kysely<Tables>, now = new Date()): Promise<void> {
  const upToId = await newestSettledId(db, new Date(now.getTime() - SETTLE_MS));
  await db.transaction().execute(async (trx) => {
    const cut = await trx.selectFrom('whatsapp_cortes').select('hasta_id').where('clave', '=', CUT_KEY).forUpdate().executeTakeFirst();
    const fromId = cut?.hasta_id ?? 0;
    if (upToId > fromId) {
      const rows = await trx
        .selectFrom('conversaciones_whatsapp')
        .select((eb) => [
          'from_number',
          eb.fn.countAll<number | string>().as('mensajes'),
          eb.fn.sum<number | string>(eb.case().when('direccion', '=', 'INBOUND').then(1).else(0).end()).as('entrantes'),
          eb.fn.sum<number | string>(eb.case().when('direccion', '=', 'OUTBOUND').then(1).else(0).end()).as('salientes'),
        ])
        .where('id', '>', fromId)
        .where('id', '<=', upToId)
        .groupBy('from_number')
        .execute();
      const added = new Map<string, SenderCounts>(
        rows.map((r) => [r.from_number, { mensajes: Number(r.mensajes), entrantes: Number(r.entrantes), salientes: Number(r.salientes) }]),
      );
      const numbers = [...added.keys()];
      for (let i = 0; i < numbers.length; i += WRITE_CHUNK) await addCounts(trx, numbers.slice(i, i + WRITE_CHUNK), added);
    }
    const values = { hasta_id: Math.max(fromId, upToId), calculado_en: now };
    if (cut) await trx.updateTable('whatsapp_cortes').set(values).where('clave', '=', CUT_KEY).execute();
    else
      await trx
        .insertInto('whatsapp_cortes')
        .values({ clave: CUT_KEY, ...values })
        .execute();
  });
}

/** Adds the counts of `numbers` to their rows, creating the rows of numbers not seen before. */
async function addCounts(trx: Transaction<Tables>, numbers: string[], added: Map<string, SenderCounts>): Promise<void> {
  const existing = await trx
    .selectFrom('whatsapp_remitentes')
    .select(['numero', 'mensajes', 'entrantes', 'salientes'])
    .where('numero', 'in', numbers)
    .execute();
  const known = new Set(existing.map((r) => r.numero));
  if (existing.length > 0) {
    const sum = (column: keyof SenderCounts) =>
      perRow(
        'numero',
        column,
        existing.map((r) => [r.numero, Number(r[column]) + (added.get(r.numero)?.[column] ?? 0)] as const),
      );
    await trx
      .updateTable('whatsapp_remitentes')
      .set({ mensajes: sum('mensajes'), entrantes: sum('entrantes'), salientes: sum('salientes') })
      .where('numero', 'in', [...known])
      .execute();
  }
  const fresh = numbers.filter((n) => !known.has(n));
  if (fresh.length > 0)
    await trx
      .insertInto('whatsapp_remitentes')
      .values(fresh.map((numero) => ({ numero, ...(added.get(numero) as SenderCounts) })))
      .execute();
}
