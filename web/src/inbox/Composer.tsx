import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { fillPlaceholders } from '../../../src/templates/template-text.js';
import { api, ApiError, seg } from '../api.js';
import { keepDraft, draftOf } from '../drafts.js';
import { duration, longDate } from '../format.js';
import type {
  CannedReplies,
  CannedReply,
  ConversationEntry,
  Template,
  TemplateData,
  TemplateDataResponse,
  TemplateList,
} from '../types.js';
import { openThread, panelChanged, pending, windowLeftMs } from './store.js';
import { ErrorAlert } from '../components/ErrorAlert.js';

/** {nombre}, {saldo}, {proxima_cuota}, {fecha_proxima} from the customer's data; unknown ones stay visible. */
const fill = (text: string, data: TemplateData | null): string => fillPlaceholders(text, data ?? {});

function useNow(intervalMs: number): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

let cannedCache: CannedReply[] | null = null;
async function cannedReplies(): Promise<CannedReply[]> {
  cannedCache ??= (await api<CannedReplies>('GET', '/api/v1/respuestas-rapidas')).respuestas_rapidas;
  return cannedCache;
}

export function Composer({ entry }: { entry: ConversationEntry }) {
  const number = entry.wa_number;
  const now = useNow(30_000);
  const left = windowLeftMs(entry, now);
  const open = left !== null && left > 0;
  const [data, setData] = useState<TemplateData | null>(null);
  const [optedOutAt, setOptedOutAt] = useState<string | null>(null);
  // Again with each new message: the bot may have just noted that the customer wants no more messages.
  useEffect(() => {
    setData(null);
    setOptedOutAt(null);
    api<TemplateDataResponse>('GET', `/api/v1/conversaciones/${seg(number)}/datos-plantilla`)
      .then((answer) => {
        setData(answer.datos);
        setOptedOutAt(answer.baja_en);
      })
      .catch(() => setData(null));
  }, [number, entry.ultimo_mensaje?.id]);
  return (
    <div class="composer">
      {open ? (
        <p class={`window ${left < 2 * 3_600_000 ? 'window-closing' : ''}`}>
          Ventana de 24 h: quedan <strong>{duration(left)}</strong>
        </p>
      ) : (
        <p class="window window-closed">
          La ventana de 24 h está cerrada{entry.ultimo_entrante_en ? '' : ' (el cliente no ha escrito)'}: solo se pueden enviar plantillas
          aprobadas.
        </p>
      )}
      {open ? (
        <TextComposer number={number} data={data} />
      ) : optedOutAt ? (
        <OptedOut number={number} at={optedOutAt} onLifted={() => setOptedOutAt(null)} />
      ) : (
        <TemplatePicker number={number} data={data} />
      )}
    </div>
  );
}

/** Instead of the templates, for a customer who asked for no more messages; an agent can lift it when the customer agrees to messages again. */
function OptedOut({ number, at, onLifted }: { number: string; at: string; onLifted: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const lift = async () => {
    setBusy(true);
    setError(null);
    try {
      await api('DELETE', `/api/v1/conversaciones/${seg(number)}/baja`);
      onLifted();
      panelChanged.value++;
    } catch (e: unknown) {
      setError(e instanceof Error ? e.message : 'No se pudo.');
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="opted-out" role="status">
      <p>
        El cliente pidió no recibir más mensajes (el {longDate(at)}): no se le envían plantillas. Si vuelve a escribir, podrás responderle.
      </p>
      <button type="button" disabled={busy} onClick={() => void lift()}>
        El cliente acepta mensajes de nuevo
      </button>
      <ErrorAlert message={error} />
    </div>
  );
}

function TextComposer({ number, data }: { number: string; data: TemplateData | null }) {
  const [text, setText] = useState(() => draftOf(number));
  const [replies, setReplies] = useState<CannedReply[]>([]);
  const [active, setActive] = useState(0);
  const box = useRef<HTMLTextAreaElement>(null);
  useEffect(() => setText(draftOf(number)), [number]);
  useEffect(() => keepDraft(number, text), [number, text]);

  const slash = /^\/(\S*)$/.exec(text);
  const matches = useMemo(
    () => (slash ? replies.filter((r) => r.atajo.startsWith(slash[1] ?? '') || r.texto.toLowerCase().includes(slash[1] ?? '')) : []),
    [text, replies],
  );
  useEffect(() => {
    if (slash && replies.length === 0)
      void cannedReplies()
        .then(setReplies)
        .catch(() => setReplies([]));
    setActive(0);
  }, [slash?.[1]]);

  const choose = (reply: CannedReply) => {
    setText(fill(reply.texto, data));
    box.current?.focus();
  };

  const send = async () => {
    const body = text.trim();
    if (!body) return;
    const key = `p-${Date.now()}-${Math.random()}`;
    pending.value = [...pending.value, { key, wa_number: number, body, error: null, at: new Date().toISOString() }];
    setText('');
    try {
      await api('POST', '/api/v1/conversaciones-whatsapp/enviar-mensaje', { to_number: number, message: body });
      pending.value = pending.value.filter((p) => p.key !== key);
      await openThread(number);
    } catch (error) {
      const message =
        error instanceof ApiError && error.code === 'OUTSIDE_SERVICE_WINDOW'
          ? 'La ventana de 24 h se cerró: envía una plantilla.'
          : error instanceof Error
            ? error.message
            : 'No se envió.';
      pending.value = pending.value.map((p) => (p.key === key ? { ...p, error: message } : p));
      setText((current) => current || body);
    }
  };

  return (
    <form
      class="composer-form"
      onSubmit={(e) => {
        e.preventDefault();
        void send();
      }}
    >
      {matches.length > 0 ? (
        <ul class="canned" role="listbox" aria-label="Respuestas rápidas">
          {matches.map((reply, i) => (
            <li
              key={reply.id}
              role="option"
              aria-selected={i === active}
              class={i === active ? 'active' : ''}
              onMouseDown={(e) => {
                e.preventDefault();
                choose(reply);
              }}
            >
              <strong>/{reply.atajo}</strong> {fill(reply.texto, data)}
            </li>
          ))}
        </ul>
      ) : null}
      <label class="sr-only" for="composer-text">
        Mensaje
      </label>
      <textarea
        id="composer-text"
        ref={box}
        rows={2}
        maxLength={4096}
        placeholder="Escribe un mensaje… (/ para respuestas rápidas, Enter envía, Mayús+Enter nueva línea)"
        value={text}
        onInput={(e) => setText(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (matches.length > 0) {
            if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
              e.preventDefault();
              setActive((a) => (a + (e.key === 'ArrowDown' ? 1 : matches.length - 1)) % matches.length);
              return;
            }
            if (e.key === 'Enter' || e.key === 'Tab') {
              e.preventDefault();
              const reply = matches[active];
              if (reply) choose(reply);
              return;
            }
          }
          if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
            e.preventDefault();
            void send();
          }
          if (e.key === 'Escape') e.currentTarget.blur();
        }}
      />
      <button type="submit" class="primary" disabled={!text.trim()}>
        Enviar
      </button>
    </form>
  );
}

const FIELD_LABEL: Record<keyof TemplateData, string> = {
  nombre: 'Nombre del cliente',
  saldo: 'Saldo',
  proxima_cuota: 'Monto de la próxima cuota',
  fecha_proxima: 'Fecha de la próxima cuota',
};

/**
 * Which customer datum each body variable most likely is, read from the words before it ("Hola
 * {{1}}" is a name, "cuota de {{2}}" an amount, "vence el {{3}}" a date): the picker fills them in,
 * and the agent can change any of them before sending.
 */
export function variableFields(template: Pick<Template, 'texto' | 'variables'>): (keyof TemplateData | null)[] {
  const fields: (keyof TemplateData | null)[] = Array.from({ length: template.variables }, () => null);
  const body = template.texto ?? '';
  for (const match of body.matchAll(/\{\{(\d+)\}\}/g)) {
    const index = Number(match[1]) - 1;
    if (index < 0 || index >= fields.length) continue;
    const before = body
      .slice(Math.max(0, (match.index ?? 0) - 30), match.index)
      .toLowerCase()
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '');
    fields[index] = /(vence|fecha|el dia|antes del|hasta el)\s*(el)?\s*$/.test(before)
      ? 'fecha_proxima'
      : /saldo[^.]*$/.test(before)
        ? 'saldo'
        : /(cuota|monto|pago|por)[^.]*$/.test(before)
          ? 'proxima_cuota'
          : /(hola|estimad[oa]|querid[oa]|senor[a]?|buen[oa]s? \w+)[,\s]*$/.test(before)
            ? 'nombre'
            : null;
  }
  return fields;
}

function TemplatePicker({ number, data }: { number: string; data: TemplateData | null }) {
  const [templates, setTemplates] = useState<Template[] | null>(null);
  const [chosen, setChosen] = useState<Template | null>(null);
  const [values, setValues] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    api<TemplateList>('GET', '/api/v1/plantillas')
      .then((answer) => setTemplates(answer.plantillas))
      .catch((e: unknown) => setError(e instanceof Error ? e.message : 'No se pudieron cargar las plantillas.'));
  }, []);
  const pick = (key: string) => {
    const template = templates?.find((t) => `${t.nombre}|${t.idioma}` === key) ?? null;
    setChosen(template);
    setValues(template ? variableFields(template).map((field) => (field ? (data?.[field] ?? '') : '')) : []);
    setError(null);
  };
  const preview = chosen?.texto ? chosen.texto.replace(/\{\{(\d+)\}\}/g, (whole: string, n: string) => values[Number(n) - 1] || whole) : '';
  const send = async () => {
    if (!chosen) return;
    setBusy(true);
    setError(null);
    try {
      await api('POST', `/api/v1/conversaciones/${seg(number)}/plantilla`, {
        nombre: chosen.nombre,
        idioma: chosen.idioma,
        parametros: values,
      });
      setChosen(null);
      await openThread(number);
    } catch (e) {
      setError(e instanceof Error ? e.message : 'No se envió la plantilla.');
    } finally {
      setBusy(false);
    }
  };
  if (templates === null) return <p class="muted">{error ?? 'Cargando plantillas…'}</p>;
  if (templates.length === 0) return <p class="muted">No hay plantillas aprobadas. Un administrador puede sincronizarlas con Meta.</p>;
  return (
    <form
      class="template-picker"
      onSubmit={(e) => {
        e.preventDefault();
        void send();
      }}
    >
      <label>
        Plantilla
        <select value={chosen ? `${chosen.nombre}|${chosen.idioma}` : ''} onChange={(e) => pick(e.currentTarget.value)}>
          <option value="">Elige una plantilla aprobada…</option>
          {templates.map((t) => (
            <option key={`${t.nombre}|${t.idioma}`} value={`${t.nombre}|${t.idioma}`}>
              {t.nombre} ({t.idioma})
            </option>
          ))}
        </select>
      </label>
      {chosen
        ? variableFields(chosen).map((field, i) => (
            <label key={i}>
              {`{{${i + 1}}}`} {field ? FIELD_LABEL[field] : 'Valor'}
              <input
                required
                maxLength={1024}
                value={values[i] ?? ''}
                onInput={(e) => {
                  const next = [...values];
                  next[i] = e.currentTarget.value;
                  setValues(next);
                }}
              />
            </label>
          ))
        : null}
      {chosen ? <p class="template-preview">{preview}</p> : null}
      <ErrorAlert message={error} />
      <button type="submit" class="primary" disabled={!chosen || busy}>
        Enviar plantilla
      </button>
    </form>
  );
}
