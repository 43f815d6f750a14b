import { useEffect, useRef, useState } from 'preact/hooks';
import { api, seg } from '../api.js';
import { longDate, phone } from '../format.js';
import type { CustomerCandidate, CustomerCandidates, CustomerPanelData } from '../types.js';
import { panelChanged, refreshEntry } from './store.js';
import { ErrorAlert } from '../components/ErrorAlert.js';

function LinkCustomer({ number, onLinked }: { number: string; onLinked: () => void }) {
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<CustomerCandidate[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const search = async (event: Event) => {
    event.preventDefault();
    setError(null);
    try {
      setFound((await api<CustomerCandidates>('GET', `/api/v1/clientes/buscar?q=${encodeURIComponent(query.trim())}`)).clientes);
    } catch (e) {
      setError(e instanceof Error ? e.message : 'No se pudo buscar.');
    }
  };
  const link = async (candidate: CustomerCandidate) => {
    setError(null);
    try {
      await api('POST', `/api/v1/conversaciones/${seg(number)}/vincular`, { cliente_id: candidate.id });
      onLinked();
    } catch (e) {
      setError(e instanceof Error ? e.message : 'No se pudo vincular.');
    }
  };
  return (
    <div class="link-customer">
      <p>Este número no está vinculado a ningún cliente.</p>
      <form onSubmit={(e) => void search(e)} role="search" aria-label="Buscar cliente para vincular">
        <label>
          Vincular a un cliente (cédula o nombre)
          <input value={query} onInput={(e) => setQuery(e.currentTarget.value)} minLength={2} maxLength={100} required />
        </label>
        <button type="submit">Buscar</button>
      </form>
      <ErrorAlert message={error} />
      {found ? (
        found.length === 0 ? (
          <p class="muted">Ningún cliente coincide.</p>
        ) : (
          <ul class="candidates">
            {found.map((c) => (
              <li key={c.id}>
                <span>
                  <strong>{c.nombres}</strong> · {c.cedula ?? 'sin cédula'}
                  {c.telefono ? ` · ${c.telefono}` : ''}
                </span>
                <button type="button" onClick={() => void link(c)}>
                  Vincular
                </button>
              </li>
            ))}
          </ul>
        )
      ) : null}
    </div>
  );
}

type BotNote = CustomerPanelData['notas_bot'][number];

/** What the note says to an agent. */
function noteText(note: BotNote): string {
  switch (note.tipo) {
    case 'referencia_pago':
      return `Dice que pagó: referencia ${note.valor}`;
    case 'fecha_pago':
      return `Podría pagar el ${longDate(note.valor)}${note.texto ? ` (escribió «${note.texto}»)` : ''}`;
    case 'baja':
      return 'Pidió no recibir más mensajes';
    case 'alta':
      return `Acepta mensajes de nuevo (lo anotó ${note.texto ?? 'un agente'})`;
  }
}

/** The bot's notes for the agents, newest first (docs/inbox.md). */
function BotNotes({ notes }: { notes: readonly BotNote[] }) {
  if (notes.length === 0) return null;
  return (
    <section class="bot-notes" aria-label="Notas del bot">
      <h3>Notas del bot</h3>
      <ul>
        {notes.map((note) => (
          <li key={note.id}>
            {noteText(note)}
            {note.creado_en ? <span class="muted"> · {longDate(note.creado_en)}</span> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

export function CustomerPanel({ number, myId, lastMessageId }: { number: string; myId: number | null; lastMessageId?: number | null }) {
  const [data, setData] = useState<CustomerPanelData | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = () => {
    setError(null);
    api<CustomerPanelData>('GET', `/api/v1/conversaciones/${seg(number)}/cliente`)
      .then(setData)
      .catch((e: unknown) => setError(e instanceof Error ? e.message : 'No se pudo cargar el cliente.'));
  };
  // A new conversation starts blank; a new message in the same one reloads it quietly (the bot may have noted something).
  const shown = useRef<string | null>(null);
  useEffect(() => {
    if (shown.current !== number) setData(null);
    shown.current = number;
    load();
  }, [number, lastMessageId, panelChanged.value]);
  if (error)
    return (
      <p class="error" role="alert">
        {error}
      </p>
    );
  if (!data) return <p class="muted">Cargando cliente…</p>;
  const customer = data.cliente;
  if (!customer)
    return (
      <>
        <BotNotes notes={data.notas_bot} />
        <LinkCustomer
          number={number}
          onLinked={() => {
            load();
            void refreshEntry(number, myId);
          }}
        />
      </>
    );
  return (
    <div class="customer">
      <h2>{customer.nombres}</h2>
      <dl class="facts">
        <dt>Cédula</dt>
        <dd>{customer.cedula ?? '—'}</dd>
        <dt>Teléfonos</dt>
        <dd>{customer.telefonos.length ? customer.telefonos.map(phone).join(', ') : '—'}</dd>
        <dt>Saldo total</dt>
        <dd>{data.saldo_total_texto}</dd>
      </dl>
      <BotNotes notes={data.notas_bot} />
      <h3>Préstamos</h3>
      {data.prestamos.length === 0 ? <p class="muted">Sin préstamos.</p> : null}
      {data.prestamos.map((loan) => (
        <section class="loan" key={loan.id} aria-label={`Préstamo ${loan.producto ?? loan.id}`}>
          <div class="loan-head">
            <strong>{loan.producto ?? `Préstamo ${loan.id}`}</strong>
            <span class="badge badge-muted">{loan.estado}</span>
          </div>
          <p>
            Cuotas pagadas: {loan.cuotas_pagadas} de {loan.cuotas_total} · Saldo {loan.saldo_texto}
          </p>
          {loan.proxima_cuota ? (
            <p>
              Próxima cuota: n.º {loan.proxima_cuota.numero}, {loan.proxima_cuota.monto_texto}, vence {longDate(loan.proxima_cuota.vence)}
            </p>
          ) : null}
          {loan.cuotas_vencidas.length > 0 ? (
            <ul class="overdue">
              {loan.cuotas_vencidas.map((c) => (
                <li key={c.numero}>
                  Cuota {c.numero} vencida: {c.monto_texto}, {c.dias_atraso} {c.dias_atraso === 1 ? 'día' : 'días'} de atraso
                </li>
              ))}
            </ul>
          ) : null}
        </section>
      ))}
      <h3>Últimos pagos</h3>
      {data.ultimos_pagos.length === 0 ? (
        <p class="muted">Sin pagos registrados.</p>
      ) : (
        <ul class="payments">
          {data.ultimos_pagos.map((p, i) => (
            <li key={i}>
              {p.fecha ? `${longDate(p.fecha)}: ` : ''}
              {p.monto_texto}
              {p.referencia ? ` (ref. ${p.referencia})` : ''}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
