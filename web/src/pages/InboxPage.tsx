import { useLocation, useRoute } from 'preact-iso';
import { useEffect, useState } from 'preact/hooks';
import { api, seg } from '../api.js';
import { phone } from '../format.js';
import { ConversationList, displayName, Flags } from '../inbox/ConversationList.js';
import { Composer } from '../inbox/Composer.js';
import { CustomerPanel } from '../inbox/CustomerPanel.js';
import { SearchBox } from '../inbox/SearchBox.js';
import {
  detachedEntry,
  entries,
  loadList,
  loadSummary,
  markRead,
  openEntry,
  openNumber,
  openThread,
  refreshEntry,
  replaceEntry,
  unreadTotal,
} from '../inbox/store.js';
import { Thread } from '../inbox/Thread.js';
import { onLiveEvent, onReconnect, whenLive } from '../live.js';
import { principal } from '../session.js';
import type { ConversationEntry } from '../types.js';
import { ErrorAlert } from '../components/ErrorAlert.js';

const isTyping = (target: EventTarget | null): boolean =>
  target instanceof HTMLElement && (['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName) || target.isContentEditable);

/** Several events for one number in a burst (a message, then its statuses) refresh it once. */
function coalesced(run: (number: string) => void, delayMs = 80): (number: string) => void {
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  return (number) => {
    if (timers.has(number)) return;
    timers.set(
      number,
      setTimeout(() => {
        timers.delete(number);
        run(number);
      }, delayMs),
    );
  };
}

function ThreadHeader({ entry, onBack, onTogglePanel }: { entry: ConversationEntry; onBack: () => void; onTogglePanel: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const act = async (action: 'tomar' | 'devolver' | 'comprobante-revisado') => {
    setError(null);
    try {
      replaceEntry(
        (await api<{ conversacion: ConversationEntry }>('POST', `/api/v1/conversaciones/${seg(entry.wa_number)}/${action}`)).conversacion,
      );
      void loadSummary();
    } catch (e) {
      setError(e instanceof Error ? e.message : 'No se pudo.');
    }
  };
  return (
    <header class="thread-header">
      <button type="button" class="back" onClick={onBack} aria-label="Volver a la lista">
        ←
      </button>
      <div class="thread-title">
        <h1>{displayName(entry)}</h1>
        <span class="muted">{phone(entry.wa_number)}</span>
        <Flags entry={entry} />
      </div>
      <div class="thread-actions">
        {entry.modo === 'bot' ? (
          <button type="button" class="primary" onClick={() => void act('tomar')}>
            Tomar conversación
          </button>
        ) : (
          <button type="button" onClick={() => void act('devolver')}>
            Devolver al bot
          </button>
        )}
        {entry.comprobante_pendiente ? (
          <button type="button" onClick={() => void act('comprobante-revisado')}>
            Comprobante revisado
          </button>
        ) : null}
        <button type="button" class="panel-toggle" onClick={onTogglePanel}>
          Cliente
        </button>
      </div>
      <ErrorAlert message={error} />
    </header>
  );
}

export function InboxPage() {
  const location = useLocation();
  const route = useRoute();
  const number = route.params['numero'] ?? null;
  const focus = route.query['m'] ? Number(route.query['m']) : null;
  const myId = principal.value?.kind === 'agent' ? principal.value.agentId : null;
  const [panelOpen, setPanelOpen] = useState(false);

  const open = (target: string, messageId: number | null = null) =>
    location.route(`/conversaciones/${target}${messageId !== null ? `?m=${messageId}` : ''}`);

  useEffect(() => {
    void whenLive().then(() => loadList(true));
  }, []);

  useEffect(() => {
    if (number) {
      void whenLive()
        .then(() => openThread(number, focus))
        .then(() => markRead(number));
    } else openNumber.value = null;
  }, [number, focus]);

  useEffect(() => {
    const total = unreadTotal.value;
    document.title = `${total > 0 ? `(${total}) ` : ''}Conversaciones · Charla`;
  }, [unreadTotal.value]);

  // Live: refresh the entry an event touches, and the thread when it is the open one.
  useEffect(() => {
    const refresh = coalesced((touched) => {
      void refreshEntry(touched, myId).then(() => {
        if (touched === openNumber.value && document.visibilityState === 'visible') void markRead(touched);
      });
      if (touched === openNumber.value) void openThread(touched);
      void loadSummary();
    });
    const stopEvents = onLiveEvent((event) => {
      if (event.wa_number) refresh(event.wa_number);
    });
    const stopReconnect = onReconnect(() => {
      void loadList(true);
      if (openNumber.value) void openThread(openNumber.value);
    });
    return () => {
      stopEvents();
      stopReconnect();
    };
  }, [myId]);

  // j/k or arrows move through the conversations; Esc goes back to the list.
  useEffect(() => {
    const keys = (event: KeyboardEvent) => {
      if (isTyping(event.target) || event.ctrlKey || event.metaKey || event.altKey) return;
      const list = entries.value;
      const index = list.findIndex((e) => e.wa_number === openNumber.value);
      if (event.key === 'j' || event.key === 'ArrowDown') {
        const next = list[Math.min(list.length - 1, index + 1)];
        if (next) {
          event.preventDefault();
          open(next.wa_number);
        }
      } else if (event.key === 'k' || event.key === 'ArrowUp') {
        const previous = list[Math.max(0, index - 1)];
        if (previous && index > 0) {
          event.preventDefault();
          open(previous.wa_number);
        }
      } else if (event.key === 'Escape' && openNumber.value) location.route('/conversaciones');
    };
    document.addEventListener('keydown', keys);
    return () => document.removeEventListener('keydown', keys);
  }, []);

  const entry = openEntry.value;
  return (
    <main class={`inbox${number ? ' has-thread' : ''}${panelOpen ? ' panel-open' : ''}`}>
      <div class="list-column">
        <SearchBox onOpen={open} />
        <ConversationList onOpen={(n) => open(n)} />
      </div>
      <section class="thread-pane" aria-label="Conversación">
        {number && entry ? (
          <>
            <ThreadHeader entry={entry} onBack={() => location.route('/conversaciones')} onTogglePanel={() => setPanelOpen(!panelOpen)} />
            <Thread number={number} />
            <Composer entry={entry} />
          </>
        ) : number ? (
          <ThreadLoader number={number} />
        ) : (
          <p class="empty-thread">Elige una conversación. Atajos: j/k para moverte, / para buscar, Esc para volver.</p>
        )}
      </section>
      {number ? (
        <aside class="customer-pane" aria-label="Cliente">
          <CustomerPanel number={number} myId={myId} lastMessageId={entry?.ultimo_mensaje?.id ?? null} />
        </aside>
      ) : null}
    </main>
  );
}

/** A conversation opened by its address that is not in the loaded page of the list. */
function ThreadLoader({ number }: { number: string }) {
  const [missing, setMissing] = useState(false);
  useEffect(() => {
    setMissing(false);
    api<{ conversacion: ConversationEntry }>('GET', `/api/v1/conversaciones/${seg(number)}`)
      .then((answer) => {
        detachedEntry.value = answer.conversacion;
      })
      .catch(() => setMissing(true));
  }, [number]);
  return <p class="empty-thread">{missing ? 'No hay conversación con ese número.' : 'Cargando…'}</p>;
}
