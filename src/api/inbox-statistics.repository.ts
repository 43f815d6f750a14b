import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import type { Tables } from '../db/tables.js';
import type { DayRange } from './lender-days.js';

/**
 * The SQL of the inbox's statistics page (GET /api/v1/estadisticas). Days are the lender's, given
 * as UTC instants (`DayRange`); each per-day count is one range read along an index on the
 * timestamp (`timestamp >= start AND timestamp < end`), one UNION ALL branch per day, so the
 * databases need no time-zone tables or date functions and every branch is an index range.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Branch<O> = SelectQueryBuilder<Tables, any, O>;

/** Which days of a range to count (indexes into `range.days`); all when not given. */
export type DaySelection = ReadonlySet<number> | undefined;

/** One branch per day of `range` (or of `only`), glued with UNION ALL; each row carries its day's index as `dia`. */
async function perDay<O>(range: DayRange, only: DaySelection, branch: (start: Date, end: Date, day: number) => Branch<O>): Promise<O[]> {
  const branches = range.days.flatMap((_, i) =>
    only && !only.has(i) ? [] : [branch(range.starts[i] as Date, range.starts[i + 1] as Date, i)],
  );
  const [first, ...rest] = branches;
  if (!first) return [];
  return rest.reduce((query, next) => query.unionAll(next), first).execute();
}

const count = (value: unknown): number => Number(value ?? 0);

/** INBOUND and OUTBOUND messages per day (`conversaciones_whatsapp.timestamp`), read from the (timestamp, direccion) index. */
export async function messagesPerDay(
  db: Kysely<Tables>,
  range: DayRange,
  only?: DaySelection,
): Promise<{ inbound: number[]; outbound: number[] }> {
  const rows = await perDay(range, only, (start, end, day) =>
    db
      .selectFrom('conversaciones_whatsapp')
      .select([
        sql.lit(day).as('dia'),
        sql<string>`coalesce(sum(case when direccion = 'INBOUND' then 1 else 0 end), 0)`.as('entrantes'),
        sql<string>`coalesce(sum(case when direccion = 'OUTBOUND' then 1 else 0 end), 0)`.as('salientes'),
      ])
      .where('timestamp', '>=', start)
      .where('timestamp', '<', end),
  );
  const inbound = range.days.map(() => 0);
  const outbound = range.days.map(() => 0);
  for (const row of rows) {
    inbound[Number(row.dia)] = count(row.entrantes);
    outbound[Number(row.dia)] = count(row.salientes);
  }
  return { inbound, outbound };
}

/**
 * OUTBOUND messages per day by who wrote them, through their `whatsapp_envios` entry: the bot's
 * replies answer an inbound message (`entrante_id`), agents' messages name their agent
 * (`agente_id`). Messages with neither (an API token's, or rows without an outbox entry) are in
 * neither count. The entry is read per message by primary key (a scalar subquery): a join would
 * let the planner hash the whole outbox once per day.
 */
export async function repliesPerDay(
  db: Kysely<Tables>,
  range: DayRange,
  only?: DaySelection,
): Promise<{ bot: number[]; agents: number[] }> {
  const rows = await perDay(range, only, (start, end, day) =>
    db
      .selectFrom('conversaciones_whatsapp as c')
      .select((eb) => [
        sql.lit(day).as('dia'),
        eb
          .selectFrom('whatsapp_envios as e')
          .select(sql<number>`case when e.entrante_id is not null then 1 when e.agente_id is not null then 2 else 0 end`.as('k'))
          .whereRef('e.conversacion_id', '=', 'c.id')
          .as('quien'),
        eb.fn.countAll<string>().as('n'),
      ])
      .where('c.timestamp', '>=', start)
      .where('c.timestamp', '<', end)
      .where('c.direccion', '=', 'OUTBOUND')
      .groupBy('quien'),
  );
  const bot = range.days.map(() => 0);
  const agents = range.days.map(() => 0);
  for (const row of rows) {
    if (Number(row.quien) === 1) bot[Number(row.dia)] = count(row.n);
    if (Number(row.quien) === 2) agents[Number(row.dia)] = count(row.n);
  }
  return { bot, agents };
}

/**
 * Senders of INBOUND messages no customer is known for (`cliente_id` null), counted once per day
 * each. Read along the (cliente_id, timestamp, id) index.
 */
export async function unidentifiedPerDay(db: Kysely<Tables>, range: DayRange, only?: DaySelection): Promise<number[]> {
  const rows = await perDay(range, only, (start, end, day) =>
    unidentified(db, start, end).select((eb) => [sql.lit(day).as('dia'), eb.fn.count<string>('from_number').distinct().as('n')]),
  );
  const counts = range.days.map(() => 0);
  for (const row of rows) counts[Number(row.dia)] = count(row.n);
  return counts;
}

/** The same senders counted once over the whole range. */
export async function unidentifiedInRange(db: Kysely<Tables>, range: DayRange): Promise<number> {
  const row = await unidentified(db, range.starts[0] as Date, range.starts.at(-1) as Date)
    .select((eb) => eb.fn.count<string>('from_number').distinct().as('n'))
    .executeTakeFirstOrThrow();
  return count(row.n);
}

function unidentified(db: Kysely<Tables>, start: Date, end: Date) {
  return db
    .selectFrom('conversaciones_whatsapp')
    .where('cliente_id', 'is', null)
    .where('timestamp', '>=', start)
    .where('timestamp', '<', end)
    .where('direccion', '=', 'INBOUND');
}

/** The handoff log's rows of the range, oldest first. */
export async function handoffsIn(db: Kysely<Tables>, range: DayRange) {
  return db
    .selectFrom('whatsapp_traspasos')
    .select(['id', 'wa_number', 'hacia', 'motivo', 'agente_id', 'creado_en'])
    .where('creado_en', '>=', range.starts[0] as Date)
    .where('creado_en', '<', range.starts.at(-1) as Date)
    .orderBy('creado_en')
    .orderBy('id')
    .execute();
}

/** A handoff to an agent and the times its first response is measured from (docs/decisions.md). */
export interface HandoffTimes {
  id: number;
  wa_number: string;
  /** The handoff. */
  creado_en: Date;
  /** The number's next handoff (either way): the end of this agent's turn; null while it lasts. */
  fin: Date | null;
  /** The customer's last message at or before the handoff. */
  entrante_antes: Date | null;
  /** The customer's first message after the handoff. */
  entrante_despues: Date | null;
  /** The first agent's message at or after the handoff. */
  respuesta_desde_traspaso: Date | null;
  /** The first agent's message at or after `entrante_despues`. */
  respuesta_desde_entrante: Date | null;
}

/**
 * Per handoff to an agent in the range, the times around it, each one index lookup: the next
 * handoff by (wa_number, id), the customer's messages by (from_number, timestamp, id), the
 * agents' messages by (to_number, timestamp, id) and the outbox's primary key.
 */
export async function handoffTimes(db: Kysely<Tables>, range: DayRange): Promise<HandoffTimes[]> {
  const rows = await handoffTimesQuery(db, range).execute();
  return rows.map((row) => ({
    id: row.id,
    wa_number: row.wa_number,
    creado_en: row.creado_en,
    fin: asDate(row.fin),
    entrante_antes: asDate(row.entrante_antes),
    entrante_despues: asDate(row.entrante_despues),
    respuesta_desde_traspaso: asDate(row.respuesta_desde_traspaso),
    respuesta_desde_entrante: asDate(row.respuesta_desde_entrante),
  }));
}

/**
 * The query of handoffTimes (exported for EXPLAIN). Each subquery takes the first row in index
 * order (ORDER BY timestamp LIMIT 1 along (number, timestamp, id)) rather than min()/max() over
 * every match, so it stops at the first message that qualifies.
 */
export function handoffTimesQuery(db: Kysely<Tables>, range: DayRange) {
  return db
    .selectFrom('whatsapp_traspasos as t')
    .select((eb) => {
      const inbound = (alias: 'i' | 'i2') =>
        eb
          .selectFrom(`conversaciones_whatsapp as ${alias}`)
          .select(`${alias}.timestamp`)
          .whereRef(`${alias}.from_number`, '=', 't.wa_number')
          .where(`${alias}.direccion`, '=', 'INBOUND');
      const firstInboundAfter = (alias: 'i' | 'i2') =>
        inbound(alias).whereRef(`${alias}.timestamp`, '>', 't.creado_en').orderBy(`${alias}.timestamp`).limit(1);
      const agentMessages = () =>
        eb
          .selectFrom('conversaciones_whatsapp as o')
          .innerJoin('whatsapp_envios as e', 'e.conversacion_id', 'o.id')
          .select('o.timestamp')
          .whereRef('o.to_number', '=', 't.wa_number')
          .where('o.direccion', '=', 'OUTBOUND')
          .where('e.agente_id', 'is not', null)
          .orderBy('o.timestamp')
          .limit(1);
      return [
        't.id',
        't.wa_number',
        't.creado_en',
        eb
          .selectFrom('whatsapp_traspasos as n')
          .select('n.creado_en')
          .whereRef('n.wa_number', '=', 't.wa_number')
          .whereRef('n.id', '>', 't.id')
          .orderBy('n.id')
          .limit(1)
          .as('fin'),
        inbound('i').whereRef('i.timestamp', '<=', 't.creado_en').orderBy('i.timestamp', 'desc').limit(1).as('entrante_antes'),
        firstInboundAfter('i').as('entrante_despues'),
        agentMessages().whereRef('o.timestamp', '>=', 't.creado_en').as('respuesta_desde_traspaso'),
        agentMessages().where('o.timestamp', '>=', firstInboundAfter('i2')).as('respuesta_desde_entrante'),
      ];
    })
    .where('t.hacia', '=', 'agente')
    .where('t.creado_en', '>=', range.starts[0] as Date)
    .where('t.creado_en', '<', range.starts.at(-1) as Date)
    .orderBy('t.creado_en')
    .orderBy('t.id');
}

/** A timestamp from a subquery comes back as a Date (or null); a driver that returns text is read as UTC. */
function asDate(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value;
  if (typeof value !== 'string') return new Date(Number(value));
  const text = value;
  return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text.replace(' ', 'T')}Z`);
}

/**
 * Failed deliveries per day and error: OUTBOUND messages whose status from Meta is `failed`
 * (`whatsapp_mensajes_detalle.status`, at `status_timestamp`), with the error Meta gave, as stored
 * on the message row (`code title: details; …`, or `failed` without one). Read along the
 * (status, status_timestamp) index.
 */
export async function failuresPerDay(db: Kysely<Tables>, range: DayRange): Promise<{ day: number; error: string | null; total: number }[]> {
  const rows = await perDay(range, undefined, (start, end, day) =>
    db
      .selectFrom('whatsapp_mensajes_detalle as d')
      .innerJoin('conversaciones_whatsapp as c', 'c.message_id', 'd.message_id')
      .select((eb) => [sql.lit(day).as('dia'), 'c.error', eb.fn.countAll<string>().as('n')])
      .where('d.status', '=', 'failed')
      .where('d.status_timestamp', '>=', start)
      .where('d.status_timestamp', '<', end)
      .where('c.direccion', '=', 'OUTBOUND')
      .groupBy('c.error'),
  );
  return rows.map((row) => ({ day: Number(row.dia), error: row.error, total: count(row.n) }));
}
