/**
 * Live updates: one EventSource on /api/v1/eventos per page. The browser reconnects by itself and
 * sends Last-Event-ID, so the server replays what was missed; `online` drives the "sin conexión"
 * banner, and every reconnection asks the pages to catch up (lists may have changed meanwhile).
 */
import { signal } from '@preact/signals';
import type { LiveEvent } from './types.js';

export const online = signal(true);
type Listener = (event: LiveEvent) => void;
const listeners = new Set<Listener>();
const reconnectListeners = new Set<() => void>();
let source: EventSource | null = null;
let wasOffline = false;

const TYPES = ['mensaje', 'estado', 'conversacion'];

export function startLive(): void {
  if (source) return;
  source = new EventSource('/api/v1/eventos');
  source.onopen = () => {
    online.value = true;
    if (wasOffline) for (const listener of reconnectListeners) listener();
    wasOffline = false;
  };
  source.onerror = () => {
    online.value = false;
    wasOffline = true;
  };
  for (const type of TYPES) {
    source.addEventListener(type, (message) => {
      let event: LiveEvent;
      try {
        event = JSON.parse((message as MessageEvent<string>).data) as LiveEvent;
      } catch {
        return;
      }
      for (const listener of listeners) listener(event);
    });
  }
  // The server no longer holds the events after the one we last saw: start the lists again.
  source.addEventListener('reinicio', () => {
    for (const listener of reconnectListeners) listener();
  });
}

export function stopLive(): void {
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
