import { sql } from 'kysely';
import type { AnyKysely } from './dialects/dialect-support.js';

/** A running wake-up source; `close()` stops it (and closes its connection, if it has one). */
export interface EventListening {
  close(): Promise<void>;
}

/**
 * Starts calling `onWake` whenever inbox events (`whatsapp_eventos`) may have been committed, by
 * this process or another. A wake-up says "look", not what: the reader reads the rows after the
 * last it delivered. Spurious wake-ups are allowed; `onError` hears about a lost connection
 * (wake-ups resume by themselves).
 */
export type ListenForEvents = (onWake: () => void, onError: (error: unknown) => void) => Promise<EventListening>;

/** How often the newest event id is read where the database cannot notify (MySQL/MariaDB). */
export const EVENT_POLL_MS = 250;

/**
 * The wake-up of a database without notifications: reads the newest event id every `intervalMs`
 * (the primary key's last entry: one index lookup) and wakes when it changed. An event committed
 * late with a lower id does not change it; the reader re-reads such gaps by itself.
 */
export function pollNewestEventId(kysely: AnyKysely, intervalMs = EVENT_POLL_MS): ListenForEvents {
  return async (onWake, onError) => {
    let newest: number | null = null;
    let closed = false;
    let running: Promise<void> = Promise.resolve();
    const poll = async (): Promise<void> => {
      try {
        const { rows } = await sql<{ id: number | string | null }>`select max(id) as id from whatsapp_eventos`.execute(kysely);
        const id = rows[0]?.id === null || rows[0]?.id === undefined ? null : Number(rows[0].id);
        if (id !== newest) {
          newest = id;
          if (!closed) onWake();
        }
      } catch (error) {
        if (!closed) onError(error);
      }
    };
    await poll();
    const timer = setInterval(() => {
      running = running.then(poll);
    }, intervalMs);
    timer.unref();
    return {
      close: async () => {
        closed = true;
        clearInterval(timer);
        await running;
      },
    };
  };
}
