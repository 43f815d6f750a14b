import { sql, type Kysely } from 'kysely';
import type { Tables } from '../db/tables.js';

/** The original API's statistics object. */
export interface Statistics {
  total: number;
  inbound: number;
  outbound: number;
  con_cliente: number;
  sin_cliente: number;
  respuestas_enviadas: number;
  ultimas_24h: number;
}

type Counts = Pick<Statistics, 'total' | 'inbound' | 'outbound' | 'con_cliente' | 'respuestas_enviadas'>;

const CUT_KEY = 'global';
/** Rows younger than this are still changing (customer identified, reply sent): the cut leaves them to the live count. */
export const SETTLE_MS = 10 * 60 * 1000;
/** A cut older than this is recounted in the background. */
export const RECOUNT_AFTER_MS = 10 * 60 * 1000;

const ZERO: Counts = { total: 0, inbound: 0, outbound: 0, con_cliente: 0, respuestas_enviadas: 0 };

async function countRows(db: Kysely<Tables>, range: { afterId?: number; upToId?: number }): Promise<Counts> {
  let query = db
    .selectFrom('conversaciones_whatsapp')
    .select((eb) => [
      eb.fn.countAll<string>().as('total'),
      sql<string>`coalesce(sum(case when direccion = 'INBOUND' then 1 else 0 end), 0)`.as('inbound'),
      sql<string>`coalesce(sum(case when direccion = 'OUTBOUND' then 1 else 0 end), 0)`.as('outbound'),
      eb.fn.count<string>('cliente_id').as('con_cliente'),
      sql<string>`coalesce(sum(case when respuesta_enviada then 1 else 0 end), 0)`.as('respuestas_enviadas'),
    ]);
  if (range.afterId !== undefined) query = query.where('id', '>', range.afterId);
  if (range.upToId !== undefined) query = query.where('id', '<=', range.upToId);
  const row = await query.executeTakeFirstOrThrow();
  return {
    total: Number(row.total),
    inbound: Number(row.inbound),
    outbound: Number(row.outbound),
    con_cliente: Number(row.con_cliente),
    respuestas_enviadas: Number(row.respuestas_enviadas),
  };
}

/**
 * The statistics of `conversaciones_whatsapp`, exact for every row younger than the cut and for
 * the cut as last counted: the settled rows (id ≤ `hasta_id`) come from `whatsapp_estadisticas`,
 * the newer ones are counted live along the primary key, and the last 24 hours along the
 * timestamp index. A change to a row older than the cut shows at the next recount.
 */
export async function statistics(
  db: Kysely<Tables>,
  now = new Date(),
  options: { /** False when only the totals are needed (`ultimas_24h` is then 0). */ last24h?: boolean } = {},
): Promise<{ statistics: Statistics; cutAt: Date | null }> {
  const cut = await db.selectFrom('whatsapp_estadisticas').selectAll().where('clave', '=', CUT_KEY).executeTakeFirst();
  const settled: Counts = cut
    ? {
        total: Number(cut.total),
        inbound: Number(cut.inbound),
        outbound: Number(cut.outbound),
        con_cliente: Number(cut.con_cliente),
        respuestas_enviadas: Number(cut.respuestas_enviadas),
      }
    : ZERO;
  const [fresh, recent] = await Promise.all([
    countRows(db, cut ? { afterId: cut.hasta_id } : {}),
    options.last24h === false
      ? { n: '0' }
      : db
          .selectFrom('conversaciones_whatsapp')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('timestamp', '>=', new Date(now.getTime() - 24 * 60 * 60 * 1000))
          .executeTakeFirstOrThrow(),
  ]);
  const total = settled.total + fresh.total;
  const conCliente = settled.con_cliente + fresh.con_cliente;
  return {
    statistics: {
      total,
      inbound: settled.inbound + fresh.inbound,
      outbound: settled.outbound + fresh.outbound,
      con_cliente: conCliente,
      sin_cliente: total - conCliente,
      respuestas_enviadas: settled.respuestas_enviadas + fresh.respuestas_enviadas,
      ultimas_24h: Number(recent.n),
    },
    cutAt: cut?.calculado_en ?? null,
  };
}

/**
 * The id of the newest message created before `before` (0: none): where a cut counted in the
 * background may end, leaving younger rows — whose transactions may still be open — to the live part.
 */
export async function newestSettledId(db: Kysely<Tables>, before: Date): Promise<number> {
  const row = await db
    .selectFrom('conversaciones_whatsapp')
    .select('id')
    .where('creado_en', '<', before)
    .orderBy('creado_en', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.id ?? 0;
}

/**
 * Recounts the settled rows — those created more than SETTLE_MS ago — and stores them as the new
 * cut. Runs in the background; concurrent recounts in several processes only repeat work.
 */
export async function recountStatistics(db: Kysely<Tables>, now = new Date()): Promise<void> {
  const upToId = await newestSettledId(db, new Date(now.getTime() - SETTLE_MS));
  const counts = upToId === 0 ? ZERO : await countRows(db, { upToId });
  const values = { hasta_id: upToId, ...counts, calculado_en: now };
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('whatsapp_estadisticas').where('clave', '=', CUT_KEY).execute();
    await trx
      .insertInto('whatsapp_estadisticas')
      .values({ clave: CUT_KEY, ...values })
      .execute();
  });
}

/** True when the cut is missing or older than RECOUNT_AFTER_MS. */
export function cutIsStale(cutAt: Date | null, now = new Date()): boolean {
  return cutAt === null || now.getTime() - cutAt.getTime() > RECOUNT_AFTER_MS;
}
