import { useEffect, useLayoutEffect, useRef } from 'preact/hooks';
import { dayKey, dayLabel, time } from '../format.js';
import type { ThreadMessage } from '../types.js';
import { focusMessageId, loadOlder, olderCursor, pending, thread, threadError, threadLoading } from './store.js';
import { ErrorAlert } from '../components/ErrorAlert.js';

const MEDIA_LABEL: Record<string, string> = {
  image: 'Imagen',
  document: 'Documento',
  audio: 'Audio',
  voice: 'Nota de voz',
  video: 'Video',
  sticker: 'Sticker',
  location: 'Ubicación',
  contacts: 'Contacto',
};

function Ticks({ message }: { message: ThreadMessage }) {
  if (message.direccion !== 'OUTBOUND') return null;
  const state = message.status ?? (message.envio === 'fallido' ? 'failed' : message.envio === 'enviado' ? 'sent' : null);
  switch (state) {
    case 'read':
      return (
        <span class="ticks ticks-read" title="Leído" aria-label="Leído">
          ✓✓
        </span>
      );
    case 'delivered':
      return (
        <span class="ticks" title="Entregado" aria-label="Entregado">
          ✓✓
        </span>
      );
    case 'sent':
      return (
        <span class="ticks" title="Enviado" aria-label="Enviado">
          ✓
        </span>
      );
    case 'failed': {
      const reason = message.error ? `Meta: ${message.error.code ?? ''} ${message.error.title}`.trim() : 'Meta no lo entregó';
      return (
        <span class="ticks ticks-failed" title={reason} aria-label={`No entregado. ${reason}`} tabIndex={0}>
          ⚠ No entregado
        </span>
      );
    }
    default:
      return (
        <span class="ticks" title="Enviando" aria-label="Enviando">
          🕓
        </span>
      );
  }
}

function author(message: ThreadMessage): string | null {
  switch (message.autor) {
    case 'bot':
      return 'Bot';
    case 'agente':
      return message.agente?.nombre ?? 'Agente';
    case 'plantilla':
      return `Plantilla${message.agente ? ` · ${message.agente.nombre}` : ''}`;
    default:
      return null;
  }
}

function Bubble({ message }: { message: ThreadMessage }) {
  const outbound = message.direccion === 'OUTBOUND';
  const who = author(message);
  const media = message.media;
  return (
    <li
      class={`bubble ${outbound ? 'out' : 'in'} author-${message.autor}${focusMessageId.value === message.id ? ' focused' : ''}`}
      id={`m-${message.id}`}
      data-id={message.id}
    >
      {who ? <span class="bubble-author">{who}</span> : null}
      {message.contexto ? <blockquote class="quoted">{message.contexto.body ?? 'Mensaje anterior'}</blockquote> : null}
      {media ? (
        <span class="media-placeholder">
          <span aria-hidden="true">📎</span> {MEDIA_LABEL[message.message_type] ?? message.message_type}
          {media.filename ? `: ${media.filename}` : ''}
        </span>
      ) : null}
      {message.respuesta_interactiva ? (
        <span class="choice">
          Eligió: <strong>{message.respuesta_interactiva.title ?? message.respuesta_interactiva.id}</strong>
        </span>
      ) : message.body ? (
        <span class="bubble-text">{message.body}</span>
      ) : null}
      <span class="bubble-meta">
        {message.timestamp ? <time dateTime={message.timestamp}>{time(message.timestamp)}</time> : null}
        <Ticks message={message} />
      </span>
      {message.reacciones.length > 0 ? (
        <span class="reactions" aria-label={`Reacciones: ${message.reacciones.map((r) => r.emoji).join(' ')}`}>
          {message.reacciones.map((r, i) => (
            <span key={i}>{r.emoji}</span>
          ))}
        </span>
      ) : null}
    </li>
  );
}

export function Thread({ number }: { number: string }) {
  const scroller = useRef<HTMLDivElement>(null);
  const top = useRef<HTMLDivElement>(null);
  const pinnedToBottom = useRef(true);
  const previousHeight = useRef(0);

  // Older messages when the top comes into view; the scroll position is kept where the agent was.
  useEffect(() => {
    const element = top.current;
    if (!element) return;
    const observer = new IntersectionObserver((seen) => {
      if (seen.some((s) => s.isIntersecting) && olderCursor.value && scroller.current) {
        previousHeight.current = scroller.current.scrollHeight;
        void loadOlder();
      }
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [number]);

  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element) return;
    const focused = focusMessageId.value;
    if (focused !== null) {
      document.getElementById(`m-${focused}`)?.scrollIntoView({ block: 'center' });
      return;
    }
    if (previousHeight.current) {
      element.scrollTop += element.scrollHeight - previousHeight.current;
      previousHeight.current = 0;
    } else if (pinnedToBottom.current) element.scrollTop = element.scrollHeight;
  }, [thread.value, pending.value]);

  const messages = thread.value;
  const mine = pending.value.filter((p) => p.wa_number === number);
  let lastDay = '';
  return (
    <div
      class="thread-scroll"
      ref={scroller}
      tabIndex={0}
      aria-label="Mensajes"
      onScroll={(e) => {
        const el = e.currentTarget;
        pinnedToBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 80;
      }}
    >
      <div ref={top} class="thread-top">
        {olderCursor.value
          ? threadLoading.value
            ? 'Cargando mensajes anteriores…'
            : ''
          : messages.length
            ? 'Inicio de la conversación'
            : ''}
      </div>
      <ErrorAlert message={threadError.value} />
      <ol class="messages">
        {messages.map((message) => {
          const day = message.timestamp ? dayKey(message.timestamp) : lastDay;
          const separator =
            day !== lastDay && message.timestamp ? (
              <li class="day-separator" key={`d-${day}`}>
                <span>{dayLabel(message.timestamp)}</span>
              </li>
            ) : null;
          lastDay = day;
          return [separator, <Bubble key={message.id} message={message} />];
        })}
        {mine.map((p) => (
          <li key={p.key} class={`bubble out author-agente optimistic${p.error ? ' failed' : ''}`}>
            <span class="bubble-text">{p.body}</span>
            <span class="bubble-meta">
              {p.error ? (
                <span class="ticks ticks-failed" role="alert">
                  ⚠ {p.error}
                </span>
              ) : (
                <span class="ticks" aria-label="Enviando">
                  🕓
                </span>
              )}
            </span>
          </li>
        ))}
      </ol>
    </div>
  );
}
