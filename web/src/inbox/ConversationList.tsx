import { useEffect, useRef } from 'preact/hooks';
import { shortWhen, phone } from '../format.js';
import type { ConversationEntry, Filter, InboxSummary } from '../types.js';
import { entries, filter, listError, listLoading, loadList, nextCursor, openNumber, summary, windowLeftMs } from './store.js';

export const FILTERS: { value: Filter; label: string; count?: Exclude<keyof InboxSummary, 'no_leidos_total'> }[] = [
  { value: 'todas', label: 'Todas' },
  { value: 'mias', label: 'Mías', count: 'mias' },
  { value: 'sin_identificar', label: 'Sin identificar', count: 'sin_identificar' },
  { value: 'comprobante', label: 'Comprobante por revisar', count: 'comprobante' },
  { value: 'ventana', label: 'Ventana por cerrar', count: 'ventana' },
  { value: 'fallidos', label: 'Envío fallido', count: 'fallidos' },
];

export function displayName(entry: Pick<ConversationEntry, 'cliente' | 'profile_name' | 'wa_number'>): string {
  return entry.cliente?.nombres ?? entry.profile_name ?? phone(entry.wa_number);
}

function snippet(entry: ConversationEntry): string {
  const last = entry.ultimo_mensaje;
  if (!last) return '';
  const text = last.body?.trim() || (last.message_type ? `[${last.message_type}]` : '');
  return (last.direccion === 'OUTBOUND' ? 'Tú: ' : '') + text.replace(/\s+/g, ' ');
}

export function Flags({ entry }: { entry: ConversationEntry }) {
  const left = windowLeftMs(entry);
  return (
    <span class="flags">
      {entry.modo === 'agente' ? (
        <span class="badge badge-agent">{entry.agente ? entry.agente.nombre : 'Agente'}</span>
      ) : (
        <span class="badge badge-bot">Bot</span>
      )}
      {entry.comprobante_pendiente ? <span class="badge badge-warn">Comprobante por revisar</span> : null}
      {entry.cliente === null ? <span class="badge badge-muted">Sin identificar</span> : null}
      {left !== null && left > 0 && left < 2 * 3_600_000 ? <span class="badge badge-warn">Ventana por cerrar</span> : null}
      {entry.envio_fallido ? <span class="badge badge-error">Envío fallido</span> : null}
    </span>
  );
}

export function ConversationList({ onOpen }: { onOpen: (number: string) => void }) {
  const sentinel = useRef<HTMLLIElement>(null);
  useEffect(() => {
    const element = sentinel.current;
    if (!element) return;
    const observer = new IntersectionObserver((seen) => {
      if (seen.some((s) => s.isIntersecting) && nextCursor.value && !listLoading.value) void loadList(false);
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [sentinel.current]);

  const counts = summary.value;
  return (
    <section class="list-pane" aria-label="Conversaciones">
      <div class="filters" role="group" aria-label="Filtrar conversaciones">
        {FILTERS.map((f) => (
          <button
            type="button"
            key={f.value}
            class="chip"
            aria-pressed={filter.value === f.value}
            onClick={() => {
              filter.value = f.value;
              void loadList(true);
            }}
          >
            {f.label}
            {f.count && counts && (counts[f.count] ?? 0) > 0 ? <span class="chip-count">{counts[f.count]}</span> : null}
          </button>
        ))}
      </div>
      {listError.value ? (
        <p class="error" role="alert">
          {listError.value}{' '}
          <button type="button" class="link-button" onClick={() => void loadList(true)}>
            Reintentar
          </button>
        </p>
      ) : null}
      <ul class="conversations">
        {entries.value.map((entry) => {
          const selected = entry.wa_number === openNumber.value;
          return (
            <li key={entry.wa_number}>
              <a
                href={`/conversaciones/${entry.wa_number}`}
                class={`conversation${selected ? ' selected' : ''}${entry.no_leidos > 0 ? ' unread' : ''}`}
                aria-current={selected ? 'true' : undefined}
                data-numero={entry.wa_number}
                onClick={(event) => {
                  event.preventDefault();
                  onOpen(entry.wa_number);
                }}
              >
                <span class="conversation-top">
                  <span class="conversation-name">{displayName(entry)}</span>
                  <span class="conversation-time">{entry.ultimo_mensaje?.timestamp ? shortWhen(entry.ultimo_mensaje.timestamp) : ''}</span>
                </span>
                {entry.cliente === null && entry.profile_name ? <span class="conversation-number">{phone(entry.wa_number)}</span> : null}
                <span class="conversation-bottom">
                  <span class="conversation-snippet">{snippet(entry)}</span>
                  {entry.no_leidos > 0 ? (
                    <span class="unread-count" aria-label={`${entry.no_leidos} sin leer`}>
                      {entry.no_leidos}
                    </span>
                  ) : null}
                </span>
                <Flags entry={entry} />
              </a>
            </li>
          );
        })}
        <li ref={sentinel} class="list-end" aria-hidden={nextCursor.value ? 'true' : undefined}>
          {listLoading.value ? 'Cargando…' : nextCursor.value ? '' : entries.value.length === 0 ? 'No hay conversaciones aquí.' : ''}
        </li>
      </ul>
    </section>
  );
}
