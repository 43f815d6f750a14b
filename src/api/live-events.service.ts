import { eventIdRange, eventsAfter, pruneEvents, type StoredEvent } from '../conversations/events.repository.js';
import type { Database } from '../db/database.js';
import type { EventListening } from '../db/event-wakeups.js';
import type { LiveEvent, RestartEvent } from './events.schemas.js';

/** How long an id missing below delivered ones is waited for: its transaction may not have committed yet. */
export const GAP_GRACE_MS = 10_000;
/** How often the events after the last settled id are read again while an id is missing. */
const GAP_REREAD_MS = 200;
/** A read every so often even without a wake-up (a notification lost with a connection). */
const FALLBACK_POLL_MS = 5_000;
/** Events per read. */
const PAGE = 500;
/** Up to this many missing ids are read by id; more, and everything above the floor is read again. */
const MISSING_LIST_MAX = 200;
/** At start, the newest events taken as already seen: an id missing among them is still awaited. */
const START_WINDOW = 1000;
/** The most events replayed to a reconnecting browser; beyond, it is told to reload (`reinicio`). */
export const REPLAY_LIMIT = 1000;

export type LiveListener = (events: LiveEvent[]) => void;

export interface LiveEventHubOptions {
  gapGraceMs?: number;
  gapRereadMs?: number;
  fallbackPollMs?: number;
  onError?: (error: unknown, what: string) => void;
  /** The clock, for tests. */
  now?: () => number;
}

export function toLiveEvent(event: StoredEvent): LiveEvent {
  const at = event.creado_en.getTime();
  return {
    id: event.id,
    tipo: event.tipo,
    wa_number: event.wa_number,
    conversacion_id: event.conversacion_id,
    datos: event.datos,
    creado_en: Number.isNaN(at) ? '' : event.creado_en.toISOString(),
  };
}

/**
 * The web process's one reader of `whatsapp_eventos`, fanning new events out to the open streams.
 * Woken by the database (`Database.listenForEvents`), it reads the events after `floor`, the id up
 * to which every event has been delivered or given up on, and delivers those it has not delivered
 * yet, by id.
 *
 * Ids are taken at INSERT but become visible at COMMIT, so event 7 may show after event 8. An id
 * missing below delivered ones is therefore a gap to wait for, not a loss: `floor` stays below it
 * and the events above it are read again every 200 ms (deduplicated by id) until it shows, or for
 * `GAP_GRACE_MS` (a rolled-back transaction leaves a gap that never fills).
 */
export class LiveEventHub {
  private readonly listeners = new Set<LiveListener>();
  private floor = 0;
  /** Ids above `floor` already delivered (or seen at start), with when; sorted by id. */
  private seen: { id: number; at: number }[] = [];
  private readonly seenIds = new Set<number>();
  private starting: Promise<void> | null = null;
  private listening: EventListening | null = null;
  private reading: Promise<void> | null = null;
  private readAgain = false;
  private reread: NodeJS.Timeout | undefined;
  private poll: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly gapGraceMs: number;
  private readonly gapRereadMs: number;
  private readonly fallbackPollMs: number;
  private readonly now: () => number;

  constructor(
    private readonly database: Database,
    private readonly options: LiveEventHubOptions = {},
  ) {
    this.gapGraceMs = options.gapGraceMs ?? GAP_GRACE_MS;
    this.gapRereadMs = options.gapRereadMs ?? GAP_REREAD_MS;
    this.fallbackPollMs = options.fallbackPollMs ?? FALLBACK_POLL_MS;
    this.now = options.now ?? Date.now;
  }

  /**
   * Delivers every event committed from now on to `listener` (in batches, by id, each once);
   * resolves when listening has started and what committed before has been read. Returns the
   * unsubscribe function.
   */
  async subscribe(listener: LiveListener): Promise<() => void> {
    await this.start();
    // Catch up first: what committed before this subscription goes to the listeners there were
    // (a new stream gets it through its replay), not again to this one.
    this.wake();
    await this.settled();
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Reads now (also what the database's wake-ups do). */
  wake(): void {
    if (this.closed || !this.starting) return;
    if (this.reading) {
      this.readAgain = true;
      return;
    }
    this.reading = this.readUntilQuiet().finally(() => {
      this.reading = null;
      this.scheduleReread();
    });
  }

  /** Resolves once the reads in progress (and those they asked for) are done: for tests. */
  async settled(): Promise<void> {
    while (this.reading) await this.reading;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reread);
    clearInterval(this.poll);
    this.listeners.clear();
    await this.starting?.catch(() => undefined);
    await this.listening?.close();
    await this.reading;
  }

  private start(): Promise<void> {
    if (this.closed) return Promise.reject(new Error('The live events hub is closed.'));
    this.starting ??= this.begin().catch((error: unknown) => {
      this.starting = null;
      throw error;
    });
    return this.starting;
  }

  private async begin(): Promise<void> {
    const { newest } = await eventIdRange(this.database.kysely);
    const from = Math.max(0, (newest ?? 0) - START_WINDOW);
    const at = this.now();
    for (const event of await this.readAfter(from)) this.markSeen(event.id, at);
    this.floor = from;
    this.advanceFloor(at);
    this.listening = await this.database.listenForEvents(
      () => this.wake(),
      (error) => this.options.onError?.(error, 'listening for events'),
    );
    if (this.closed) {
      await this.listening.close();
      return;
    }
    this.poll = setInterval(() => this.wake(), this.fallbackPollMs);
    this.poll.unref();
    this.scheduleReread();
  }

  private async readUntilQuiet(): Promise<void> {
    do {
      this.readAgain = false;
      try {
        await this.readOnce();
      } catch (error) {
        this.options.onError?.(error, 'reading events');
        return;
      }
    } while (this.readAgain && !this.closed);
  }

  private async readAfter(after: number): Promise<StoredEvent[]> {
    const events: StoredEvent[] = [];
    for (let from = after; ;) {
      const page = await eventsAfter(this.database.kysely, from, PAGE);
      events.push(...page);
      const last = page.at(-1);
      if (page.length < PAGE || !last) return events;
      from = last.id;
    }
  }

  /**
   * The events not seen yet: those after the newest seen, and the missing ids below it when they are
   * few (else everything above the floor again).
   */
  private async readNew(): Promise<StoredEvent[]> {
    const newestSeen = this.seen.at(-1)?.id;
    if (newestSeen === undefined) return this.readAfter(this.floor);
    const missingCount = newestSeen - this.floor - this.seen.length;
    if (missingCount > MISSING_LIST_MAX) return this.readAfter(this.floor);
    const missing: number[] = [];
    for (let id = this.floor + 1; id < newestSeen; id++) if (!this.seenIds.has(id)) missing.push(id);
    if (missing.length === 0) return this.readAfter(newestSeen);
    const first = await eventsAfter(this.database.kysely, newestSeen, PAGE, missing);
    const last = first.at(-1);
    if (first.length < PAGE || !last) return first;
    return [...first, ...(await this.readAfter(last.id))];
  }

  private async readOnce(): Promise<void> {
    const fresh = (await this.readNew()).filter((e) => !this.seenIds.has(e.id));
    const at = this.now();
    for (const event of fresh) this.markSeen(event.id, at);
    this.seen.sort((a, b) => a.id - b.id);
    this.advanceFloor(at);
    if (fresh.length === 0 || this.closed) return;
    const batch = fresh.map(toLiveEvent);
    for (const listener of [...this.listeners]) {
      try {
        listener(batch);
      } catch (error) {
        this.options.onError?.(error, 'delivering events');
      }
    }
  }

  private markSeen(id: number, at: number): void {
    if (this.seenIds.has(id) || id <= this.floor) return;
    this.seenIds.add(id);
    this.seen.push({ id, at });
  }

  /**
   * Moves `floor` up over consecutive seen ids, and over a missing one once it has been missing for
   * the grace period (since the first id above it was seen: the earliest `at` above the floor).
   */
  private advanceFloor(now: number): void {
    while (this.seen.length > 0) {
      const first = this.seen[0] as { id: number; at: number };
      if (first.id <= this.floor + 1) {
        this.floor = Math.max(this.floor, first.id);
        this.seen.shift();
        this.seenIds.delete(first.id);
        continue;
      }
      const missingSince = Math.min(...this.seen.map((s) => s.at));
      if (now - missingSince < this.gapGraceMs) return;
      this.floor = first.id - 1;
    }
  }

  /** While an id is missing, the events above the floor are read again shortly. */
  private scheduleReread(): void {
    if (this.closed || this.reread || this.seen.length === 0) return;
    this.reread = setTimeout(() => {
      this.reread = undefined;
      this.wake();
    }, this.gapRereadMs);
    this.reread.unref();
  }
}

export type Replay = { kind: 'events'; events: LiveEvent[] } | { kind: 'reinicio'; reinicio: RestartEvent };

/**
 * The stored events after `afterId`, for a browser that reconnects (`Last-Event-ID`) or starts from
 * an id (`?desde=`). When some of those were deleted already (the oldest kept is newer than
 * `afterId + 1`), when there are more than `limit`, or when the id is unknown here (newer than the
 * newest), it gets `reinicio` instead: reload the lists, then carry on.
 */
export async function replayAfter(database: Database, afterId: number, limit = REPLAY_LIMIT): Promise<Replay> {
  const { oldest, newest } = await eventIdRange(database.kysely);
  const restart = (motivo: RestartEvent['motivo']): Replay => ({ kind: 'reinicio', reinicio: { motivo, ultimo_id: newest } });
  if (newest === null) return afterId > 0 ? restart('id_desconocido') : { kind: 'events', events: [] };
  if (afterId > newest) return restart('id_desconocido');
  if (oldest !== null && oldest > afterId + 1) return restart('eventos_borrados');
  const events = await eventsAfter(database.kysely, afterId, limit + 1);
  if (events.length > limit) return restart('demasiados');
  return { kind: 'events', events: events.map(toLiveEvent) };
}

/** Deletes the events older than `keepMs` (batched); returns how many. */
export async function pruneOldEvents(database: Database, keepMs: number, now = Date.now()): Promise<number> {
  return pruneEvents(database.kysely, new Date(now - keepMs));
}
