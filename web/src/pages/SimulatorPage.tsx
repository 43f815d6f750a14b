import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type {
  SimulatedMessage,
  SimulatedMessageAnswer,
  SimulatorChat,
  SimulatorChatMessage,
  SimulatorCustomer,
  SimulatorCustomers,
} from '../../../src/api/simulator.schemas.js';
import { api, ApiError } from '../api.js';
import { phone, time } from '../format.js';
import { environment } from '../session.js';

/**
 * The customer simulator (sandbox mode): a WhatsApp chat seen from the customer's phone. Everything
 * the "customer" does is posted by the server, signed, to Charla's own webhook, exactly as Meta
 * would; the bot's answers appear as the sandbox delivers them. docs/inbox.md.
 */

/** How often the chat is read again while the page is visible. */
const POLL_MS = 700;
/** The reactions offered on a message (any one emoji is accepted by the API). */
const REACTIONS = ['👍', '❤️', '😂', '😮', '🙏'];
const LAST_NUMBER = 'charla.simulador.numero';

function errorText(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return 'No se pudo completar. Inténtalo de nuevo.';
}

/** WhatsApp's *bold* and _italic_, as the customer's phone shows them. */
function formatted(text: string) {
  return text.split(/(\*[^*\n]+\*|_[^_\n]+_)/).map((part, i) => {
    if (part.length > 2 && part.startsWith('*') && part.endsWith('*')) return <strong key={i}>{part.slice(1, -1)}</strong>;
    if (part.length > 2 && part.startsWith('_') && part.endsWith('_')) return <em key={i}>{part.slice(1, -1)}</em>;
    return part;
  });
}

function Ticks({ message }: { message: SimulatorChatMessage }) {
  if (message.leido_por_negocio === null) return null;
  return message.leido_por_negocio ? (
    <span class="sim-ticks sim-ticks-read" title="Leído por la empresa">
      ✓✓<span class="sr-only"> Leído</span>
    </span>
  ) : (
    <span class="sim-ticks" title="Entregado a la empresa">
      ✓✓<span class="sr-only"> Entregado</span>
    </span>
  );
}

function Media({ message }: { message: SimulatorChatMessage }) {
  if (!message.media) return null;
  const isImage = message.message_type === 'image';
  return (
    <span class="sim-media">
      <span aria-hidden="true">{isImage ? '🖼️' : '📄'}</span>
      {isImage ? 'Imagen' : (message.media.filename ?? 'Documento')}
      {message.media.media_mime_type ? <span class="sim-media-type">{message.media.media_mime_type}</span> : null}
    </span>
  );
}

interface BubbleProps {
  message: SimulatorChatMessage;
  busy: boolean;
  onChoose: (message: SimulatorChatMessage, optionId: string) => void;
  onReact: (message: SimulatorChatMessage, emoji: string) => void;
}

function Bubble({ message, busy, onChoose, onReact }: BubbleProps) {
  const [listOpen, setListOpen] = useState(false);
  const [picking, setPicking] = useState(false);
  const picker = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    if (picking) picker.current?.scrollIntoView({ block: 'nearest' });
  }, [picking]);
  const mine = message.autor === 'cliente';
  const options = message.opciones;
  const reaction = message.reacciones[0]?.emoji ?? null;
  const text = message.media ? message.media.caption : message.texto;
  const who = mine ? 'Tú' : message.autor === 'agente' ? 'Asesor' : 'Charla';
  return (
    <li class={`sim-row ${mine ? 'sim-mine' : 'sim-theirs'}`}>
      <div class="sim-line">
        <div class="sim-bubble">
          <span class="sr-only">{who}: </span>
          {message.opcion_elegida ? <span class="sim-choice">Elegiste:</span> : null}
          <Media message={message} />
          {text ? <span class="sim-text">{formatted(text)}</span> : null}
          <span class="sim-meta">
            {message.timestamp ? <time dateTime={message.timestamp}>{time(message.timestamp)}</time> : null}
            <Ticks message={message} />
          </span>
          {reaction ? (
            <span class="sim-reaction" title="Tu reacción">
              <span class="sr-only">Tu reacción: </span>
              {reaction}
            </span>
          ) : null}
        </div>
        {message.message_id ? (
          <button
            type="button"
            class="sim-react-toggle"
            aria-expanded={picking}
            aria-label="Reaccionar a este mensaje"
            title="Reaccionar"
            onClick={() => setPicking(!picking)}
          >
            ☺
          </button>
        ) : null}
      </div>
      {picking ? (
        <span class="sim-react-picker" ref={picker} role="group" aria-label="Elige una reacción">
          {REACTIONS.map((emoji) => (
            <button
              type="button"
              key={emoji}
              disabled={busy}
              aria-label={`Reaccionar con ${emoji}`}
              aria-pressed={reaction === emoji}
              onClick={() => {
                setPicking(false);
                onReact(message, emoji);
              }}
            >
              {emoji}
            </button>
          ))}
          {reaction ? (
            <button
              type="button"
              disabled={busy}
              onClick={() => {
                setPicking(false);
                onReact(message, '');
              }}
            >
              Quitar
            </button>
          ) : null}
        </span>
      ) : null}
      {options && options.tipo === 'botones' ? (
        <div class="sim-buttons" role="group" aria-label="Respuestas rápidas">
          {options.filas.map((option) => (
            <button type="button" key={option.id} disabled={busy} onClick={() => onChoose(message, option.id)}>
              {option.titulo}
            </button>
          ))}
        </div>
      ) : null}
      {options && options.tipo === 'lista' ? (
        <div class="sim-list">
          <button type="button" class="sim-list-toggle" aria-expanded={listOpen} onClick={() => setListOpen(!listOpen)}>
            <span aria-hidden="true">☰ </span>
            {options.boton ?? 'Ver opciones'}
          </button>
          {listOpen ? (
            <ul class="sim-list-rows" aria-label={options.boton ?? 'Opciones'}>
              {options.filas.map((option) => (
                <li key={option.id}>
                  <button
                    type="button"
                    disabled={busy}
                    onClick={() => {
                      setListOpen(false);
                      onChoose(message, option.id);
                    }}
                  >
                    <span class="sim-row-title">{option.titulo}</span>
                    {option.descripcion ? <span class="sim-row-description">{option.descripcion}</span> : null}
                  </button>
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
    </li>
  );
}

function Chat({
  number,
  profileName,
  onResolved,
}: {
  number: string;
  profileName: string | undefined;
  /** The number as the server normalised it (international digits). */
  onResolved: (digits: string) => void;
}) {
  const [chat, setChat] = useState<SimulatorChat | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [sendError, setSendError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [draft, setDraft] = useState('');
  const scroller = useRef<HTMLDivElement>(null);
  const stickToBottom = useRef(true);
  const inFlight = useRef(false);

  const load = async (): Promise<void> => {
    if (inFlight.current) return;
    inFlight.current = true;
    try {
      const next = await api<SimulatorChat>('GET', `/api/v1/simulador/chat?numero=${encodeURIComponent(number)}&limite=100`);
      setChat(next);
      onResolved(next.numero);
      setLoadError(null);
    } catch (error) {
      setLoadError(errorText(error));
    } finally {
      inFlight.current = false;
    }
  };

  useEffect(() => {
    setChat(null);
    setSendError(null);
    stickToBottom.current = true;
    void load();
    const timer = setInterval(() => {
      if (!document.hidden) void load();
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [number]);

  const lastId = chat?.mensajes.at(-1)?.id;
  useLayoutEffect(() => {
    const element = scroller.current;
    if (element && stickToBottom.current) element.scrollTop = element.scrollHeight;
  }, [lastId, chat?.escribiendo]);

  const send = async (body: SimulatedMessage): Promise<boolean> => {
    setBusy(true);
    setSendError(null);
    try {
      await api<SimulatedMessageAnswer>('POST', '/api/v1/simulador/mensajes', body);
      stickToBottom.current = true;
      await load();
      return true;
    } catch (error) {
      setSendError(errorText(error));
      return false;
    } finally {
      setBusy(false);
    }
  };
  const who = { numero: number, ...(profileName ? { nombre_perfil: profileName } : {}) };

  const submit = async (event: Event) => {
    event.preventDefault();
    const text = draft.trim();
    if (text === '') return;
    if (await send({ ...who, tipo: 'texto', texto: text })) setDraft('');
  };
  const attach = async (tipo: 'imagen' | 'documento') => {
    const caption = draft.trim();
    if (await send({ ...who, tipo, ...(caption ? { texto: caption } : {}) })) setDraft('');
  };
  const choose = (message: SimulatorChatMessage, optionId: string) =>
    void send({ ...who, tipo: 'opcion', mensaje_wamid: message.message_id ?? '', opcion_id: optionId });
  const react = (message: SimulatorChatMessage, emoji: string) =>
    void send({ ...who, tipo: 'reaccion', mensaje_wamid: message.message_id ?? '', emoji });

  const status = chat?.escribiendo ? 'escribiendo…' : 'en línea';
  return (
    <section class="sim-phone" aria-labelledby="sim-phone-title">
      <header class="sim-phone-header">
        <span class="sim-avatar" aria-hidden="true">
          C
        </span>
        <div>
          <h2 id="sim-phone-title">Charla</h2>
          <p class="sim-status" aria-live="polite">
            {status}
          </p>
        </div>
      </header>
      <div
        class="sim-scroll"
        ref={scroller}
        tabIndex={0}
        aria-label={`Chat de ${phone(number)}`}
        onScroll={(event) => {
          const element = event.currentTarget;
          stickToBottom.current = element.scrollHeight - element.scrollTop - element.clientHeight < 60;
        }}
      >
        {loadError ? <p class="error">{loadError}</p> : null}
        {chat === null && !loadError ? <p class="sim-empty">Cargando…</p> : null}
        {chat !== null && chat.mensajes.length === 0 ? (
          <p class="sim-empty">Escribe como si fueras el cliente: «hola», «cuánto debo», «quiero hablar con un asesor»…</p>
        ) : null}
        <ol class="sim-messages" aria-live="polite" aria-relevant="additions">
          {chat?.mensajes.map((message) => (
            <Bubble key={message.id} message={message} busy={busy} onChoose={choose} onReact={react} />
          ))}
        </ol>
        {chat?.escribiendo ? (
          <p class="sim-typing">
            <span aria-hidden="true">● ● ●</span>
            <span class="sr-only">Charla está escribiendo</span>
          </p>
        ) : null}
      </div>
      {sendError ? (
        <p class="error sim-send-error" role="alert">
          {sendError}
        </p>
      ) : null}
      <form class="sim-composer" onSubmit={(event) => void submit(event)}>
        <div class="sim-attach" role="group" aria-label="Adjuntar un comprobante de ejemplo">
          <button type="button" disabled={busy} onClick={() => void attach('imagen')}>
            <span aria-hidden="true">🖼️ </span>Foto del comprobante
          </button>
          <button type="button" disabled={busy} onClick={() => void attach('documento')}>
            <span aria-hidden="true">📄 </span>comprobante-pago.pdf
          </button>
        </div>
        <div class="sim-compose-row">
          <label class="sim-compose-label">
            <span class="sr-only">Mensaje (o pie de foto del comprobante)</span>
            <textarea
              rows={1}
              maxLength={4096}
              value={draft}
              placeholder="Escribe un mensaje"
              onInput={(event) => setDraft(event.currentTarget.value)}
              onKeyDown={(event) => {
                if (event.key === 'Enter' && !event.shiftKey) {
                  event.preventDefault();
                  void submit(event);
                }
              }}
            />
          </label>
          <button type="submit" class="primary" disabled={busy || draft.trim() === ''}>
            Enviar
          </button>
        </div>
      </form>
    </section>
  );
}

/** The number the simulator writes as: a demo customer, or any number typed. */
function NumberPicker({
  customers,
  number,
  onPick,
}: {
  customers: SimulatorCustomer[];
  number: string | null;
  onPick: (number: string) => void;
}) {
  const [typed, setTyped] = useState('');
  const [typedError, setTypedError] = useState<string | null>(null);
  const known = customers.some((c) => c.numero === number);
  const useTyped = (event: Event) => {
    event.preventDefault();
    const digits = typed.replace(/[^\d+]/g, '');
    if (digits.replace('+', '').length < 7) {
      setTypedError('Escribe un número de teléfono, por ejemplo +58 412 555 0101.');
      return;
    }
    setTypedError(null);
    onPick(typed.trim());
  };
  return (
    <div class="sim-picker">
      <label>
        Cliente de demostración
        <select value={known ? (number ?? '') : ''} onChange={(event) => event.currentTarget.value && onPick(event.currentTarget.value)}>
          <option value="">— Elige un cliente —</option>
          {customers.map((c) => (
            <option key={c.numero} value={c.numero}>
              {c.nombres} · {phone(c.numero)}
              {c.cliente_id === null ? ' (no está en el CRM)' : ''}
            </option>
          ))}
        </select>
      </label>
      <form class="sim-typed" onSubmit={useTyped}>
        <label>
          U otro número
          <input
            type="tel"
            inputMode="tel"
            autoComplete="off"
            value={typed}
            placeholder="+58 414 555 0101"
            aria-invalid={typedError !== null}
            aria-describedby={typedError ? 'sim-typed-error' : undefined}
            onInput={(event) => setTyped(event.currentTarget.value)}
          />
        </label>
        <button type="submit">Escribir como este número</button>
      </form>
      {typedError ? (
        <p class="error" id="sim-typed-error">
          {typedError}
        </p>
      ) : null}
    </div>
  );
}

export function SimulatorPage() {
  const [customers, setCustomers] = useState<SimulatorCustomer[]>([]);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [number, setNumber] = useState<string | null>(() => localStorage.getItem(LAST_NUMBER));
  const [resolved, setResolved] = useState<string | null>(null);
  const sandbox = environment.value?.sandbox;

  useEffect(() => {
    if (sandbox === false) return;
    api<SimulatorCustomers>('GET', '/api/v1/simulador/clientes')
      .then((answer) => {
        setCustomers(answer.clientes);
        setNumber((current) => current ?? answer.clientes.find((c) => c.cliente_id !== null)?.numero ?? answer.clientes[0]?.numero ?? null);
      })
      .catch((error: unknown) => setLoadError(errorText(error)));
  }, [sandbox]);

  const pick = (next: string) => {
    setNumber(next);
    setResolved(null);
    localStorage.setItem(LAST_NUMBER, next);
  };

  if (sandbox === false) {
    return (
      <main class="page">
        <h1>Simulador de cliente</h1>
        <p class="notice">El simulador solo existe en modo sandbox (sin WHATSAPP_ACCESS_TOKEN): aquí los clientes escriben de verdad.</p>
      </main>
    );
  }
  const customer = customers.find((c) => c.numero === number);
  const digits = customer?.numero ?? resolved ?? number?.replace(/\D/g, '') ?? '';
  return (
    <main class="page sim-page">
      <div class="sim-side">
        <h1>Simulador de cliente</h1>
        <p class="muted">
          Escribe como un cliente de WhatsApp, sin teléfono ni cuenta de Meta. Cada mensaje entra por el webhook firmado, igual que los de
          Meta, y el bot responde como lo haría con un cliente real.
        </p>
        {loadError ? <p class="error">{loadError}</p> : null}
        <NumberPicker customers={customers} number={number} onPick={pick} />
        {number ? (
          <div class="card sim-who">
            <h2>{customer?.nombres ?? phone(number)}</h2>
            <p>
              WhatsApp <strong>{phone(digits)}</strong>
            </p>
            {customer?.cedula ? (
              <p class="muted">
                Si el bot pide verificar: cédula <strong>{customer.cedula}</strong>, nacimiento <strong>{customer.fecha_nacimiento}</strong>
                .
              </p>
            ) : (
              <p class="muted">El CRM no conoce este número: el bot pedirá la cédula y la fecha de nacimiento.</p>
            )}
            <p>
              <a href={`/conversaciones/${encodeURIComponent(digits)}`}>Ver en la bandeja</a>
            </p>
          </div>
        ) : null}
      </div>
      {number ? (
        <Chat key={number} number={number} profileName={customer?.nombres.split(' ').slice(0, 2).join(' ')} onResolved={setResolved} />
      ) : (
        <p class="sim-empty">Elige un cliente o escribe un número para empezar.</p>
      )}
    </main>
  );
}
