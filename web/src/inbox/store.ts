/**
 * The inbox's state: the conversation list (keyset pages), the open thread and its customer. Signals,
 * so the list, the thread and the title update wherever they are shown; live events refresh only
 * what they touch (one entry, the open thread's newest page).
 */
import { batch, computed, signal } from '@preact/signals';
import { api, ApiError, seg } from '../api.js';
import type { ConversationEntry, Filter, ThreadMessage, ThreadPage, ConversationPage, InboxSummary } from '../types.js';

export const filter = signal<Filter>('todas');
export const entries = signal<ConversationEntry[]>([]);
export const nextCursor = signal<string | null>(null);
export const listLoading = signal(false);
export const listError = signal<string | null>(null);
export const summary = signal<InboxSummary | null>(null);

export const openNumber = signal<string | null>(null);
export const thread = signal<ThreadMessage[]>([]);
export const olderCursor = signal<string | null>(null);
export const threadLoading = signal(false);
export const threadError = signal<string | null>(null);
/** A message to show in view (a search result), by id. */
export const focusMessageId = signal<number | null>(null);
/** Bumped when an agent changed what the customer panel shows without a new message (a baja lifted): the panel reloads. */
export const panelChanged = signal(0);
/** Sent by this page and not yet stored by the server: shown at once, replaced by the stored row. */
export const pending = signal<{ key: string; wa_number: string; body: string; error: string | null; at: string }[]>([]);

/** The open conversation's entry when the loaded part of the list does not hold it (opened by address, filtered out). */
export const detachedEntry = signal<ConversationEntry | null>(null);
export const openEntry = computed(
  () =>
    entries.value.find((e) => e.wa_number === openNumber.value) ??
    (detachedEntry.value?.wa_number === openNumber.value ? detachedEntry.value : null),
);
export const unreadTotal = computed(() => summary.value?.no_leidos_total ?? entries.value.reduce((n, e) => n + e.no_leidos, 0));

const PAGE = 50;

export async function loadList(reset = true): Promise<void> {
  if (listLoading.value && !reset) return;
  listLoading.value = true;
  listError.value = null;
  const cursor = reset ? null : nextCursor.value;
  const requested = filter.value;
  try {
    const query = new URLSearchParams({ limite: String(PAGE), filtro: requested });
    if (cursor) query.set('cursor', cursor);
    const page = await api<ConversationPage>('GET', `/api/v1/conversaciones?${query}`);
    if (requested !== filter.value) return;
    batch(() => {
      entries.value = reset ? page.conversaciones : mergeEntries(entries.value, page.conversaciones);
      nextCursor.value = page.cursor_siguiente;
    });
  } catch (error) {
    listError.value = error instanceof Error ? error.message : 'No se pudo cargar la lista.';
  } finally {
    listLoading.value = false;
  }
  void loadSummary();
}

export async function loadSummary(): Promise<void> {
  try {
    summary.value = await api<InboxSummary>('GET', '/api/v1/conversaciones/resumen');
  } catch {
    // The badges wait for the next event.
  }
}

function mergeEntries(current: ConversationEntry[], incoming: ConversationEntry[]): ConversationEntry[] {
  const seen = new Set(current.map((e) => e.wa_number));
  return [...current, ...incoming.filter((e) => !seen.has(e.wa_number))];
}

/** Does the entry belong in the list under the current filter? The server decides for pages; this, for live updates. */
function fits(entry: ConversationEntry, myId: number | null): boolean {
  switch (filter.value) {
    case 'todas':
      return true;
    case 'mias':
      return entry.modo === 'agente' && entry.agente_id === myId;
    case 'sin_identificar':
      return entry.cliente === null;
    case 'comprobante':
      return entry.comprobante_pendiente;
    case 'ventana':
      return windowLeftMs(entry) !== null && (windowLeftMs(entry) as number) < 2 * 3_600_000;
    case 'fallidos':
      return entry.envio_fallido;
  }
}

const orderKey = (e: ConversationEntry): number => (e.ultimo_entrante_en ? Date.parse(e.ultimo_entrante_en) : 0);

/** One conversation changed (live event): fetch its entry and put it where it belongs. */
export async function refreshEntry(number: string, myId: number | null): Promise<void> {
  let entry: ConversationEntry | null = null;
  // A first message's event can arrive before the worker has made the number's conversation (404):
  // ask again a few times rather than wait for the next event, which may never come.
  for (const waitMs of [0, 300, 700, 1500, 3000]) {
    if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));
    try {
      entry = (await api<{ conversacion: ConversationEntry }>('GET', `/api/v1/conversaciones/${seg(number)}`)).conversacion;
      break;
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 404)) return;
    }
  }
  if (!entry) return;
  if (detachedEntry.value?.wa_number === number) detachedEntry.value = entry;
  const others = entries.value.filter((e) => e.wa_number !== number);
  if (!fits(entry, myId)) {
    entries.value = others;
    return;
  }
  // Keep the loaded window: an entry older than the last loaded one arrives with its page.
  const last = others[others.length - 1];
  if (last && nextCursor.value && orderKey(entry) < orderKey(last)) {
    entries.value = others;
    return;
  }
  const index = others.findIndex((e) => orderKey(e) < orderKey(entry));
  entries.value = index === -1 ? [...others, entry] : [...others.slice(0, index), entry, ...others.slice(index)];
}

export function windowLeftMs(entry: Pick<ConversationEntry, 'ventana_cierra_en'>, now = Date.now()): number | null {
  if (!entry.ventana_cierra_en) return null;
  return Math.max(0, Date.parse(entry.ventana_cierra_en) - now);
}

export async function openThread(number: string, around: number | null = null): Promise<void> {
  const switching = openNumber.value !== number;
  batch(() => {
    openNumber.value = number;
    // A live refresh of the open thread keeps the message the agent jumped to.
    if (around !== null || switching) focusMessageId.value = around;
    threadError.value = null;
    if (switching) {
      thread.value = [];
      olderCursor.value = null;
    }
  });
  threadLoading.value = true;
  try {
    const query = new URLSearchParams({ limite: String(PAGE) });
    if (around !== null) query.set('alrededor', String(around));
    const page = await api<ThreadPage>('GET', `/api/v1/conversaciones/${seg(number)}/mensajes?${query}`);
    if (openNumber.value !== number) return;
    batch(() => {
      thread.value = around === null && !switching ? mergeMessages(thread.value, page.mensajes) : sortMessages(page.mensajes);
      if (switching || around !== null) olderCursor.value = page.cursor_anterior;
    });
  } catch (error) {
    threadError.value = error instanceof Error ? error.message : 'No se pudo cargar la conversación.';
  } finally {
    threadLoading.value = false;
  }
}

export async function loadOlder(): Promise<void> {
  const number = openNumber.value;
  const cursor = olderCursor.value;
  if (!number || !cursor || threadLoading.value) return;
  threadLoading.value = true;
  try {
    const query = new URLSearchParams({ limite: String(PAGE), antes: cursor });
    const page = await api<ThreadPage>('GET', `/api/v1/conversaciones/${seg(number)}/mensajes?${query}`);
    if (openNumber.value !== number) return;
    batch(() => {
      thread.value = mergeMessages(thread.value, page.mensajes);
      olderCursor.value = page.cursor_anterior;
    });
  } finally {
    threadLoading.value = false;
  }
}

function sortMessages(messages: ThreadMessage[]): ThreadMessage[] {
  const at = (m: ThreadMessage): number => (m.timestamp ? Date.parse(m.timestamp) : 0);
  return [...messages].sort((a, b) => at(a) - at(b) || a.id - b.id);
}

function mergeMessages(current: ThreadMessage[], incoming: ThreadMessage[]): ThreadMessage[] {
  const byId = new Map(current.map((m) => [m.id, m]));
  for (const message of incoming) byId.set(message.id, message);
  return sortMessages([...byId.values()]);
}

export async function markRead(number: string): Promise<void> {
  const entry = entries.value.find((e) => e.wa_number === number);
  if (entry && entry.no_leidos === 0) return;
  try {
    const answer = await api<{ conversacion: ConversationEntry }>('POST', `/api/v1/conversaciones/${seg(number)}/leido`, {});
    replaceEntry(answer.conversacion);
    void loadSummary();
  } catch {
    // Stays unread; the next open tries again.
  }
}

export function replaceEntry(entry: ConversationEntry): void {
  if (detachedEntry.value?.wa_number === entry.wa_number) detachedEntry.value = entry;
  entries.value = entries.value.map((e) => (e.wa_number === entry.wa_number ? entry : e));
}
