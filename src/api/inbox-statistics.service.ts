import { insideServiceWindow } from '../conversations/service-window.js';
import type { Database } from '../db/database.js';
import {
  failuresPerDay,
  handoffsIn,
  handoffTimes,
  messagesPerDay,
  repliesPerDay,
  unidentifiedInRange,
  unidentifiedPerDay,
  type HandoffTimes,
} from './inbox-statistics.repository.js';
import { dayIndex, lastDays, type DayRange } from './lender-days.js';
import type { EstadisticasRespuesta } from './statistics.schemas.js';

/**
 * An agent's first response to a handoff, in whole seconds, or null when there was none during
 * the agent's turn (docs/decisions.md, "Agents' first response"). The clock starts at the handoff
 * when the customer wrote in the 24 hours before it (they are waiting, and an agent may answer at
 * once); otherwise at the customer's first message after it. It stops at the first message an
 * agent sends at or after that start. Both must fall within the turn, which ends at the number's
 * next handoff either way.
 */
export function firstResponseSeconds(h: HandoffTimes): number | null {
  const waiting = insideServiceWindow(h.entrante_antes, h.creado_en);
  const start = waiting ? h.creado_en : h.entrante_despues;
  const response = waiting ? h.respuesta_desde_traspaso : h.respuesta_desde_entrante;
  if (start === null || response === null) return null;
  if (h.fin !== null && (start > h.fin || response > h.fin)) return null;
  return Math.max(0, Math.round((response.getTime() - start.getTime()) / 1000));
}

/** The median, rounded to a whole number (the mean of the two middle values for an even count); null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : Math.round(((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2);
}

/**
 * Meta's error as stored on a message row (`131026 Message undeliverable: details; 131000 …`, see
 * webhook/notification-reader.ts formatError): the first error's code and title. A failure Meta
 * gave no error for is stored as `failed`: code and title null.
 */
export function metaError(text: string | null): { codigo: number | null; titulo: string | null } {
  const match = /^\s*(\d{1,9})(?:\s+([^:;]*))?/.exec(text ?? '');
  if (!match) return { codigo: null, titulo: null };
  return { codigo: Number(match[1]), titulo: match[2]?.trim() || null };
}

function failuresByCode(rows: readonly { error: string | null; total: number }[]): EstadisticasRespuesta['fallos_por_codigo'] {
  const byCode = new Map<number | null, { titles: Map<string, number>; total: number }>();
  for (const row of rows) {
    const { codigo, titulo } = metaError(row.error);
    const entry = byCode.get(codigo) ?? { titles: new Map<string, number>(), total: 0 };
    entry.total += row.total;
    if (titulo !== null) entry.titles.set(titulo, (entry.titles.get(titulo) ?? 0) + row.total);
    byCode.set(codigo, entry);
  }
  return [...byCode]
    .map(([codigo, { titles, total }]) => ({
      codigo,
      // The title most failures of the code came with (Meta's titles per code rarely vary).
      titulo: [...titles].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? null,
      total,
    }))
    .sort((a, b) => b.total - a.total || (a.codigo ?? Infinity) - (b.codigo ?? Infinity));
}

const sum = (values: readonly number[]): number => values.reduce((total, n) => total + n, 0);

/** The counts of one day that read most rows: messages by direction, replies by author, unidentified senders. */
interface DayCounts {
  entrantes: number;
  salientes: number;
  bot: number;
  agentes: number;
  sinIdentificar: number;
}

/** A day is closed this long after its end: its rows have settled (replies sent, customers identified). */
export const CLOSED_AFTER_MS = 10 * 60 * 1000;
/** A closed day's counts older than this are recounted in the background (and still answered meanwhile). */
export const RECOUNT_DAY_AFTER_MS = 10 * 60 * 1000;

/** Per database, the counts of closed days by `zone|day`, and when they were counted. */
const closedDays = new WeakMap<Database, Map<string, { counts: DayCounts; at: number }>>();
const recounting = new WeakMap<Database, Promise<void>>();

async function countDays(database: Database, range: DayRange, only: ReadonlySet<number>): Promise<DayCounts[]> {
  const db = database.kysely;
  const [messages, replies, unidentified] = await Promise.all([
    messagesPerDay(db, range, only),
    repliesPerDay(db, range, only),
    unidentifiedPerDay(db, range, only),
  ]);
  return range.days.map((_, i) => ({
    entrantes: messages.inbound[i] ?? 0,
    salientes: messages.outbound[i] ?? 0,
    bot: replies.bot[i] ?? 0,
    agentes: replies.agents[i] ?? 0,
    sinIdentificar: unidentified[i] ?? 0,
  }));
}

/**
 * The heavy per-day counts of the range. Closed days come from this process's memory once counted
 * (90 days of 5 million messages take seconds to count; the page asks often), recounted in the
 * background when older than RECOUNT_DAY_AFTER_MS; today and the days not yet closed are counted
 * on every request. Like the original statistics' cut: exact except for a change to an old row,
 * which shows at the next recount.
 */
async function heavyCounts(database: Database, zone: string, range: DayRange, now: number): Promise<DayCounts[]> {
  let cache = closedDays.get(database);
  if (!cache) closedDays.set(database, (cache = new Map<string, { counts: DayCounts; at: number }>()));
  const key = (i: number) => `${zone}|${range.days[i]}`;
  const closed = (i: number) => (range.starts[i + 1] as Date).getTime() + CLOSED_AFTER_MS <= now;
  const live = new Set<number>();
  const stale = new Set<number>();
  range.days.forEach((_, i) => {
    const cached = cache.get(key(i));
    if (!closed(i) || !cached) live.add(i);
    else if (now - cached.at > RECOUNT_DAY_AFTER_MS) stale.add(i);
  });
  const counted = live.size > 0 ? await countDays(database, range, live) : [];
  for (const i of live) if (closed(i)) cache.set(key(i), { counts: counted[i] as DayCounts, at: now });
  if (stale.size > 0 && !recounting.has(database)) {
    const running = countDays(database, range, stale)
      .then((fresh) => {
        for (const i of stale) cache.set(key(i), { counts: fresh[i] as DayCounts, at: Date.now() });
      })
      // A failed recount leaves the older counts; the next request tries again.
      .catch(() => {})
      .finally(() => recounting.delete(database));
    recounting.set(database, running);
  }
  return range.days.map((_, i) => (live.has(i) ? (counted[i] as DayCounts) : (cache.get(key(i)) as { counts: DayCounts }).counts));
}

/** For tests and shutdown: the background recount in progress, if any. */
export function statisticsSettled(database: Database): Promise<void> {
  return recounting.get(database) ?? Promise.resolve();
}

/** The statistics page's numbers for the last `days` days of the lender's calendar (`zone`). */
export async function inboxStatistics(database: Database, zone: string, days: number, now = new Date()): Promise<EstadisticasRespuesta> {
  const db = database.kysely;
  const range: DayRange = lastDays(zone, days, now);
  const [heavy, unidentifiedTotal, handoffs, times, failures] = await Promise.all([
    heavyCounts(database, zone, range, now.getTime()),
    unidentifiedInRange(db, range),
    handoffsIn(db, range),
    handoffTimes(db, range),
    failuresPerDay(db, range),
  ]);
  const messages = { inbound: heavy.map((d) => d.entrantes), outbound: heavy.map((d) => d.salientes) };
  const replies = { bot: heavy.map((d) => d.bot), agents: heavy.map((d) => d.agentes) };
  const unidentified = { perDay: heavy.map((d) => d.sinIdentificar), total: unidentifiedTotal };
  const zeros = () => range.days.map(() => 0);
  const toAgent = zeros();
  const toBot = zeros();
  for (const h of handoffs) {
    const day = dayIndex(range, h.creado_en);
    if (day < 0) continue;
    if (h.hacia === 'agente') toAgent[day] = (toAgent[day] as number) + 1;
    else toBot[day] = (toBot[day] as number) + 1;
  }
  const responsesByDay = range.days.map((): number[] => []);
  for (const h of times) {
    const seconds = firstResponseSeconds(h);
    const day = dayIndex(range, h.creado_en);
    if (seconds !== null && day >= 0) responsesByDay[day]?.push(seconds);
  }
  const failed = zeros();
  for (const f of failures) failed[f.day] = (failed[f.day] as number) + f.total;
  return {
    zona_horaria: zone,
    desde: range.days[0] as string,
    hasta: range.days.at(-1) as string,
    dias: range.days,
    series: {
      mensajes_entrantes: messages.inbound,
      mensajes_salientes: messages.outbound,
      respuestas_bot: replies.bot,
      respuestas_agentes: replies.agents,
      traspasos: toAgent,
      devoluciones: toBot,
      primeras_respuestas: responsesByDay.map((r) => r.length),
      primera_respuesta_mediana_segundos: responsesByDay.map(median),
      remitentes_sin_identificar: unidentified.perDay,
      fallos_entrega: failed,
    },
    totales: {
      mensajes_entrantes: sum(messages.inbound),
      mensajes_salientes: sum(messages.outbound),
      respuestas_bot: sum(replies.bot),
      respuestas_agentes: sum(replies.agents),
      traspasos: sum(toAgent),
      devoluciones: sum(toBot),
      primeras_respuestas: sum(responsesByDay.map((r) => r.length)),
      primera_respuesta_mediana_segundos: median(responsesByDay.flat()),
      remitentes_sin_identificar: unidentified.total,
      fallos_entrega: sum(failed),
    },
    fallos_por_codigo: failuresByCode(failures),
  };
}
