import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { z } from 'zod';
import type { agenteRespuesta, agentesRespuesta, Agente, Rol } from '../../../src/api/admin.schemas.js';
import { api, ApiError, seg } from '../api.js';
import { environment, isAdmin, principal } from '../session.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { RoleField } from '../components/RoleField.js';

/** At least 10 characters (src/api/admin.schemas.ts LONGITUD_MINIMA_CLAVE; a type-only import keeps zod out of the bundle). */
const MIN_PASSWORD = 10;

export const ROLE_NAMES: Record<Rol, string> = { admin: 'Administrador', agente: 'Agente' };

/** What the admin pages show for an API error: the codes they expect in Spanish, anything else with its code. */
export function adminErrorText(caught: unknown, fallback: string): string {
  if (!(caught instanceof ApiError)) return fallback;
  switch (caught.code) {
    case 'AGENT_EXISTS':
      return 'Ya existe un agente con ese correo. Búscalo en la lista (quizá está desactivado) en lugar de añadirlo otra vez.';
    case 'LAST_ADMIN':
      return 'No se puede: Charla se quedaría sin ningún administrador activo. Nombra antes a otro administrador.';
    case 'FORBIDDEN':
      return 'No tienes permiso para hacer esto: solo los administradores gestionan agentes y tokens.';
    case 'HTTP_NOT_FOUND':
      return 'Ya no existe (quizá otro administrador lo cambió). Se recargó la lista.';
    case 'HTTP_BAD_REQUEST':
    case 'INPUT_INVALID':
      return `Revisa los datos del formulario. Detalle del servidor: ${caught.message}`;
    case 'ORIGIN_REJECTED':
      return 'Charla rechazó la petición porque no venía de esta página. Recarga la página e inténtalo de nuevo.';
    case 'NETWORK':
      return caught.message;
    default:
      return `${fallback} (${caught.code}: ${caught.message})`;
  }
}

/** What an agent (not an admin) sees on an admin page; the server answers them 403 anyway. */
export function NoPermission({ title }: { title: string }) {
  return (
    <main class="page admin-page">
      <h1>{title}</h1>
      <p class="error" role="alert">
        No tienes permiso para ver esta página. Solo los administradores de Charla pueden gestionar agentes y tokens.
      </p>
      <p>
        <a href="/conversaciones">Volver a las conversaciones</a>
      </p>
    </main>
  );
}

/** A strong password to suggest: 18 characters without look-alikes (about 100 bits), from the browser's CSPRNG. */
export function suggestedPassword(length = 18): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789-_.!';
  const out: string[] = [];
  const bytes = new Uint8Array(64);
  while (out.length < length) {
    crypto.getRandomValues(bytes);
    // Rejection sampling: only bytes below the largest multiple of the alphabet's size, so every character is equally likely.
    const limit = 256 - (256 % alphabet.length);
    for (const b of bytes) if (b < limit && out.length < length) out.push(alphabet[b % alphabet.length] as string);
  }
  return out.join('');
}

/** Copies `text`; false when the browser refuses (no clipboard permission, or not a secure context). */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

const whenFormat = () =>
  new Intl.DateTimeFormat('es', { dateStyle: 'medium', timeStyle: 'short', timeZone: environment.value?.zona_horaria });
export const when = (iso: string): string => whenFormat().format(new Date(iso));

export function Messages({ error, done }: { error: string | null; done: string | null }) {
  return (
    <>
      <ErrorAlert message={error} />
      <p class="success" role="status">
        {done ?? ''}
      </p>
    </>
  );
}

function PasswordField({
  id,
  label,
  value,
  onChange,
  children,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  children?: ComponentChildren;
}) {
  const short = value.length > 0 && value.length < MIN_PASSWORD;
  return (
    <div class="password-field">
      <label for={id}>{label}</label>
      <div class="password-row">
        <input
          id={id}
          type="text"
          autoComplete="new-password"
          spellcheck={false}
          required
          minLength={MIN_PASSWORD}
          maxLength={1024}
          value={value}
          aria-describedby={`${id}-hint`}
          aria-invalid={short ? 'true' : undefined}
          onInput={(e) => onChange(e.currentTarget.value)}
        />
        <button type="button" onClick={() => onChange(suggestedPassword())}>
          Generar otra
        </button>
        {children}
      </div>
      <p id={`${id}-hint`} class={short ? 'field-hint field-hint-bad' : 'field-hint muted'}>
        {short
          ? `Faltan ${MIN_PASSWORD - value.length} caracteres: mínimo ${MIN_PASSWORD}.`
          : `Mínimo ${MIN_PASSWORD} caracteres. Se sugiere una contraseña generada al azar.`}
      </p>
    </div>
  );
}

function AddAgent({ onAdded }: { onAdded: (agent: Agente) => void }) {
  const [email, setEmail] = useState('');
  const [nombre, setNombre] = useState('');
  const [password, setPassword] = useState(() => suggestedPassword());
  const [rol, setRol] = useState<Rol>('agente');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const submit = async (event: Event) => {
    event.preventDefault();
    setError(null);
    setDone(null);
    if (password.length < MIN_PASSWORD) return setError(`La contraseña necesita al menos ${MIN_PASSWORD} caracteres.`);
    setBusy(true);
    try {
      const { agente } = await api<z.infer<typeof agenteRespuesta>>('POST', '/api/v1/agentes', {
        email: email.trim(),
        nombre: nombre.trim(),
        password,
        rol,
      });
      onAdded(agente);
      setDone(
        `Se añadió a ${agente.nombre} (${agente.email}) como ${ROLE_NAMES[agente.rol].toLowerCase()}. Comunícale su contraseña por un canal seguro.`,
      );
      setEmail('');
      setNombre('');
      setPassword(suggestedPassword());
      setRol('agente');
    } catch (caught) {
      setError(adminErrorText(caught, 'No se pudo añadir el agente.'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card admin-card" aria-labelledby="add-agent-title">
      <h2 id="add-agent-title">Añadir agente</h2>
      <form class="admin-form" onSubmit={(e) => void submit(e)}>
        <label>
          Correo
          <input
            type="email"
            name="email"
            required
            maxLength={200}
            autoComplete="off"
            value={email}
            onInput={(e) => setEmail(e.currentTarget.value)}
          />
        </label>
        <label>
          Nombre
          <input
            name="nombre"
            required
            maxLength={200}
            autoComplete="off"
            value={nombre}
            onInput={(e) => setNombre(e.currentTarget.value)}
          />
        </label>
        <PasswordField id="new-agent-password" label="Contraseña inicial" value={password} onChange={setPassword} />
        <RoleField
          id="new-agent-rol"
          value={rol}
          onChange={setRol}
          hint="Un agente atiende conversaciones; un administrador además gestiona agentes, tokens y plantillas."
        />
        <div class="form-actions">
          <button type="submit" class="primary" disabled={busy}>
            {busy ? 'Añadiendo…' : 'Añadir agente'}
          </button>
        </div>
      </form>
      <Messages error={error} done={done} />
    </section>
  );
}

function ResetPassword({ agent, onClose, onDone }: { agent: Agente; onClose: () => void; onDone: (message: string) => void }) {
  const [password, setPassword] = useState(() => suggestedPassword());
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [copied, setCopied] = useState<string | null>(null);
  const id = `password-${agent.id}`;

  const submit = async (event: Event) => {
    event.preventDefault();
    setError(null);
    if (password.length < MIN_PASSWORD) return setError(`La contraseña necesita al menos ${MIN_PASSWORD} caracteres.`);
    setBusy(true);
    try {
      await api('PATCH', `/api/v1/agentes/${seg(agent.id)}`, { password });
      onDone(`Se cambió la contraseña de ${agent.nombre}; sus sesiones abiertas se cerraron. Comunícale la nueva por un canal seguro.`);
    } catch (caught) {
      setError(adminErrorText(caught, 'No se pudo cambiar la contraseña.'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="reset-password" onSubmit={(e) => void submit(e)} aria-label={`Nueva contraseña para ${agent.nombre}`}>
      <PasswordField id={id} label={`Nueva contraseña para ${agent.nombre}`} value={password} onChange={setPassword}>
        <button
          type="button"
          onClick={() =>
            void copyText(password).then((ok) =>
              setCopied(ok ? 'Contraseña copiada.' : 'No se pudo copiar: selecciónala y cópiala a mano.'),
            )
          }
        >
          Copiar
        </button>
      </PasswordField>
      <p class="muted field-hint" role="status">
        {copied ?? ''}
      </p>
      <div class="form-actions">
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Guardando…' : 'Guardar contraseña'}
        </button>
        <button type="button" onClick={onClose}>
          Cancelar
        </button>
      </div>
      <ErrorAlert message={error} />
    </form>
  );
}

function AgentRow({
  agent,
  me,
  onChanged,
  onError,
  onDone,
}: {
  agent: Agente;
  me: boolean;
  onChanged: (agent: Agente) => void;
  onError: (message: string, reload?: boolean) => void;
  onDone: (message: string) => void;
}) {
  const [busy, setBusy] = useState(false);
  const [resetting, setResetting] = useState(false);

  const change = async (fields: { rol?: Rol; activo?: boolean }, done: (a: Agente) => string) => {
    setBusy(true);
    try {
      const { agente } = await api<z.infer<typeof agenteRespuesta>>('PATCH', `/api/v1/agentes/${seg(agent.id)}`, fields);
      onChanged(agente);
      onDone(done(agente));
    } catch (caught) {
      onError(adminErrorText(caught, 'No se pudo cambiar el agente.'), caught instanceof ApiError && caught.code === 'HTTP_NOT_FOUND');
    } finally {
      setBusy(false);
    }
  };

  const toggle = () => {
    if (agent.activo) {
      const warning = me
        ? '¿Desactivar tu propia cuenta? Tu sesión se cerrará y no podrás volver a entrar hasta que otro administrador te reactive.'
        : `¿Desactivar a ${agent.nombre}? Sus sesiones se cerrarán y no podrá entrar hasta que lo reactives.`;
      if (!window.confirm(warning)) return;
    }
    void change({ activo: !agent.activo }, (a) => (a.activo ? `${a.nombre} puede volver a entrar.` : `${a.nombre} ya no puede entrar.`));
  };

  const setRole = (rol: Rol) => {
    if (rol === agent.rol) return;
    if (me && rol === 'agente' && !window.confirm('¿Quitarte el rol de administrador? Dejarás de ver las páginas de administración.'))
      return;
    void change({ rol }, (a) => `${a.nombre} ahora es ${ROLE_NAMES[a.rol].toLowerCase()}.`);
  };

  return (
    <>
      <tr class={agent.activo ? undefined : 'inactive'}>
        <th scope="row">
          {agent.nombre}
          {me ? <span class="muted"> (tú)</span> : null}
        </th>
        <td class="email-cell" data-label="Correo">
          {agent.email}
        </td>
        <td data-label="Rol">
          <label class="sr-only" for={`rol-${agent.id}`}>
            Rol de {agent.nombre}
          </label>
          <select
            id={`rol-${agent.id}`}
            class="compact"
            value={agent.rol}
            disabled={busy}
            onChange={(e) => setRole(e.currentTarget.value as Rol)}
          >
            <option value="agente">{ROLE_NAMES.agente}</option>
            <option value="admin">{ROLE_NAMES.admin}</option>
          </select>
        </td>
        <td data-label="Estado">
          {agent.activo ? <span class="badge badge-agent">Activo</span> : <span class="badge badge-error">Desactivado</span>}
        </td>
        <td class="muted" data-label="Alta">
          {when(agent.creado_en)}
        </td>
        <td class="muted" data-label="Último ingreso">
          {agent.ultimo_ingreso_en ? when(agent.ultimo_ingreso_en) : 'Nunca'}
        </td>
        <td>
          <div class="row-actions">
            <button type="button" disabled={busy} onClick={toggle}>
              {agent.activo ? 'Desactivar' : 'Reactivar'}
              <span class="sr-only"> a {agent.nombre}</span>
            </button>
            <button type="button" disabled={busy} aria-expanded={resetting} onClick={() => setResetting(!resetting)}>
              Cambiar contraseña<span class="sr-only"> de {agent.nombre}</span>
            </button>
          </div>
        </td>
      </tr>
      {resetting ? (
        <tr class="row-form">
          <td colSpan={7}>
            <ResetPassword
              agent={agent}
              onClose={() => setResetting(false)}
              onDone={(message) => {
                setResetting(false);
                onDone(message);
              }}
            />
          </td>
        </tr>
      ) : null}
    </>
  );
}

/** /admin/agentes: the agents who sign in to the inbox (admins only; docs/inbox.md). */
export function AgentsPage() {
  const [agents, setAgents] = useState<Agente[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [forbidden, setForbidden] = useState(false);
  const admin = isAdmin();

  const load = async () => {
    try {
      setAgents((await api<z.infer<typeof agentesRespuesta>>('GET', '/api/v1/agentes')).agentes);
    } catch (caught) {
      if (caught instanceof ApiError && caught.status === 403) setForbidden(true);
      else setError(adminErrorText(caught, 'No se pudo cargar la lista de agentes.'));
    }
  };

  useEffect(() => {
    document.title = 'Agentes · Charla';
    if (admin) void load();
  }, [admin]);

  if (!admin || forbidden) return <NoPermission title="Agentes" />;
  const myId = principal.value?.kind === 'agent' ? principal.value.agentId : null;
  const replace = (agent: Agente) => setAgents((list) => (list ? list.map((a) => (a.id === agent.id ? agent : a)) : list));
  const activeAdmins = agents?.filter((a) => a.activo && a.rol === 'admin').length ?? 0;

  return (
    <main class="page admin-page">
      <h1>Agentes</h1>
      <p class="muted">
        Las personas que entran a la bandeja. Un agente atiende conversaciones; un administrador además gestiona agentes, tokens y
        plantillas. Desactivar a alguien o cambiar su contraseña cierra sus sesiones abiertas.
      </p>
      <Messages error={error} done={done} />
      <section class="card admin-card" aria-labelledby="agents-title">
        <h2 id="agents-title">
          Lista de agentes{' '}
          {agents ? (
            <span class="muted heading-count">
              ({agents.length}; {activeAdmins === 1 ? '1 administrador activo' : `${activeAdmins} administradores activos`})
            </span>
          ) : null}
        </h2>
        {agents === null ? (
          error ? null : (
            <p class="muted">Cargando…</p>
          )
        ) : agents.length === 0 ? (
          <p class="muted">Aún no hay agentes.</p>
        ) : (
          <div class="table-scroll" tabIndex={0} role="region" aria-label="Agentes">
            <table class="admin-table">
              <thead>
                <tr>
                  <th scope="col">Nombre</th>
                  <th scope="col">Correo</th>
                  <th scope="col">Rol</th>
                  <th scope="col">Estado</th>
                  <th scope="col">Alta</th>
                  <th scope="col">Último ingreso</th>
                  <th scope="col">
                    <span class="sr-only">Acciones</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {agents.map((agent) => (
                  <AgentRow
                    key={agent.id}
                    agent={agent}
                    me={agent.id === myId}
                    onChanged={(a) => {
                      replace(a);
                      setError(null);
                    }}
                    onError={(message, reload) => {
                      setDone(null);
                      setError(message);
                      if (reload) void load();
                    }}
                    onDone={(message) => {
                      setError(null);
                      setDone(message);
                    }}
                  />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <AddAgent onAdded={(agent) => setAgents((list) => [...(list ?? []), agent])} />
    </main>
  );
}
