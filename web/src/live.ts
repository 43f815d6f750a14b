/**
 * Live updates: one EventSource on /api/v1/eventos per page. The browser reconnects by itself and
 * sends Last-Event-ID, so the server replays what was missed; `online` drives the "sin conexión"
 * banner, and every reconnection asks the pages to catch up (lists may have changed meanwhile).
 */
import { signal } from '@preact/signals';
import { api, ApiError } from './api.js';
import type { LiveEvent } from './types.js';

export const online = signal(true);
type Listener = (event: LiveEvent) => void;
const listeners = new Set<Listener>();
const reconnectListeners = new Set<() => void>();
let source: EventSource | null = null;
let wasOffline = false;
/** The last event seen: where a reconnection made by hand starts (the browser's own sends Last-Event-ID). */
let lastId: number | null = null;
let retryTimer: ReturnType<typeof setTimeout> | null = null;
/** Set by stopLive (signed out, page left): a reconnection in flight must not reopen the stream. */
let stopped = false;
/** Resolved when the stream is open: from then on every change reaches the page (see whenLive). */
let opened: { promise: Promise<void>; resolve: () => void; done: boolean } | null = null;
/** How long a first read waits for the stream before reading anyway (a proxy that breaks SSE must not leave the page empty). */
const OPEN_WAIT_MS = 3_000;

const TYPES = ['mensaje', 'estado', 'conversacion'];

export function startLive(): void {
  stopped = false;
  if (source) return;
  source = new EventSource(lastId === null ? '/api/v1/eventos' : `/api/v1/eventos?desde=${lastId}`);
  source.onopen = () => {
    openedLatch().resolve();
    online.value = true;
    if (wasOffline) for (const listener of reconnectListeners) listener();
    wasOffline = false;
  };
  source.onerror = () => {
    online.value = false;
    wasOffline = true;
    // The browser gives up after an HTTP error (a proxy's 502, a restart): try again by hand.
    if (source?.readyState === EventSource.CLOSED) {
      source.close();
      source = null;
      retryTimer = setTimeout(() => void reconnectIfSignedIn(), 3_000);
    }
  };
  for (const type of TYPES) {
    source.addEventListener(type, (message) => {
      let event: LiveEvent;
      try {
        event = JSON.parse((message as MessageEvent<string>).data) as LiveEvent;
      } catch {
        return;
      }
      lastId = event.id;
      for (const listener of listeners) listener(event);
    });
  }
  // The server no longer holds the events after the one we last saw: start the lists again.
  source.addEventListener('reinicio', (message) => {
    const id = Number((message as MessageEvent<string>).lastEventId);
    if (Number.isInteger(id) && id > 0) lastId = id;
    for (const listener of reconnectListeners) listener();
  });
}

/** A session that ended meanwhile sends the page to sign-in (api() on a 401) instead of retrying forever. */
async function reconnectIfSignedIn(): Promise<void> {
  retryTimer = null;
  try {
    await api('GET', '/api/v1/auth/me');
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return;
    if (!stopped) retryTimer = setTimeout(() => void reconnectIfSignedIn(), 3_000);
    return;
  }
  if (!stopped) startLive();
}

/**
 * Resolves once the live stream is open (or after OPEN_WAIT_MS). A page reads its lists after this:
 * the server starts a new stream at the newest event, so a change committed between a read made
 * earlier and the stream's start would reach neither.
 */
export function whenLive(): Promise<void> {
  const latch = openedLatch();
  if (!latch.done) setTimeout(latch.resolve, OPEN_WAIT_MS);
  return latch.promise;
}

function openedLatch(): NonNullable<typeof opened> {
  if (!opened) {
    let resolve = (): void => undefined;
    const promise = new Promise<void>((r) => (resolve = r));
    const latch = { promise, done: false, resolve: () => undefined };
    latch.resolve = () => {
      latch.done = true;
      resolve();
    };
    opened = latch;
  }
  return opened;
}

export function stopLive(): void {
  opened = null;
  stopped = true;
  if (retryTimer) clearTimeout(retryTimer);
  retryTimer = null;
  source?.close();
  source = null;
}

export function onLiveEvent(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function onReconnect(listener: () => void): () => void {
  reconnectListeners.add(listener);
  return () => reconnectListeners.delete(listener);
}
