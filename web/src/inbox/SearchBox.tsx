import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api.js';
import { phone, shortWhen } from '../format.js';
import type { SearchResults } from '../types.js';
import { displayName } from './ConversationList.js';
import { ErrorAlert } from '../components/ErrorAlert.js';

/** Search by name, cédula, phone or message text; a result opens its conversation (at the message). */
export function SearchBox({ onOpen }: { onOpen: (number: string, messageId: number | null) => void }) {
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<SearchResults | null>(null);
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const latest = useRef(0);

  useEffect(() => {
    const focus = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement;
      if (event.key === '/' && !['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)) {
        event.preventDefault();
        input.current?.focus();
      }
    };
    document.addEventListener('keydown', focus);
    return () => document.removeEventListener('keydown', focus);
  }, []);

  useEffect(() => {
    const text = query.trim();
    if (text.length < 2) {
      setResults(null);
      return;
    }
    const ticket = ++latest.current;
    const timer = setTimeout(() => {
      api<SearchResults>('GET', `/api/v1/buscar?q=${encodeURIComponent(text)}&limite=10`)
        .then((found) => {
          if (ticket === latest.current) {
            setResults(found);
            setError(null);
          }
        })
        .catch((e: unknown) => ticket === latest.current && setError(e instanceof Error ? e.message : 'No se pudo buscar.'));
    }, 200);
    return () => clearTimeout(timer);
  }, [query]);

  const close = () => {
    setQuery('');
    setResults(null);
  };
  return (
    <div class="search" role="search">
      <label class="sr-only" for="search-input">
        Buscar por nombre, cédula, teléfono o texto
      </label>
      <input
        id="search-input"
        ref={input}
        type="search"
        placeholder="Buscar: nombre, cédula, teléfono o texto  ( / )"
        value={query}
        maxLength={100}
        onInput={(e) => setQuery(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            close();
            e.currentTarget.blur();
          }
        }}
      />
      <ErrorAlert message={error} />
      {results ? (
        <div class="search-results" aria-live="polite">
          {results.conversaciones.length + results.mensajes.length === 0 ? <p class="muted">Sin resultados.</p> : null}
          {results.conversaciones.length > 0 ? <h2>Conversaciones</h2> : null}
          <ul>
            {results.conversaciones.map((c) => (
              <li key={c.wa_number}>
                <button
                  type="button"
                  class="result"
                  onClick={() => {
                    onOpen(c.wa_number, null);
                    close();
                  }}
                >
                  <strong>{displayName(c)}</strong> <span class="muted">{phone(c.wa_number)}</span>
                </button>
              </li>
            ))}
          </ul>
          {results.mensajes.length > 0 ? <h2>Mensajes</h2> : null}
          <ul>
            {results.mensajes.map((m) => (
              <li key={m.id}>
                <button
                  type="button"
                  class="result"
                  data-mensaje={m.id}
                  onClick={() => {
                    onOpen(m.wa_number, m.id);
                    close();
                  }}
                >
                  <span class="muted">
                    {phone(m.wa_number)}
                    {m.timestamp ? ` · ${shortWhen(m.timestamp)}` : ''}
                  </span>
                  <span class="result-text">{m.body}</span>
                </button>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
