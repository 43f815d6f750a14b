import { useEffect, useRef, useState } from 'preact/hooks';
import type { Rol, TokenApi, TokenCreadoRespuesta, TokensRespuesta } from '../../../src/api/admin.schemas.js';
import { api, ApiError, seg } from '../api.js';
import { isAdmin } from '../session.js';
import { adminErrorText, copyText, Messages, NoPermission, ROLE_NAMES, when } from './AgentsPage.js';
import type { SincronizacionResponse } from '../../../src/api/templates.schemas.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { RoleField } from '../components/RoleField.js';

/** The new token's secret: shown once, with a copy button and a warning. */
function NewSecret({ token, onClose }: { token: TokenCreadoRespuesta; onClose: () => void }) {
  const [copied, setCopied] = useState<string | null>(null);
  const field = useRef<HTMLInputElement>(null);
  useEffect(() => field.current?.focus(), []);
  const copy = async () => {
    const ok = await copyText(token.token);
    if (!ok) field.current?.select();
    setCopied(ok ? 'Token copiado al portapapeles.' : 'No se pudo copiar automáticamente: el token está seleccionado, cópialo con Ctrl+C.');
  };
  return (
    <section class="card secret-card" aria-labelledby="secret-title">
      <h3 id="secret-title">Token «{token.nombre}» creado</h3>
      <p class="notice" role="note">
        <strong>Cópialo ahora: no se volverá a mostrar.</strong> Charla guarda solo una huella del token, así que nadie podrá verlo después.
        Si se pierde, revócalo y crea otro. Trátalo como una contraseña: quien lo tenga actúa como {ROLE_NAMES[token.rol].toLowerCase()}.
      </p>
      <label for="new-token-secret">Token secreto (se envía como Authorization: Bearer)</label>
      <div class="password-row">
        <input id="new-token-secret" ref={field} class="secret" readOnly value={token.token} onFocus={(e) => e.currentTarget.select()} />
        <button type="button" class="primary" onClick={() => void copy()}>
          Copiar
        </button>
      </div>
      <p class="muted field-hint" role="status">
        {copied ?? ''}
      </p>
      <div class="form-actions">
        <button type="button" onClick={onClose}>
          Ya lo guardé, ocultarlo
        </button>
      </div>
    </section>
  );
}

function CreateToken({ onCreated }: { onCreated: (token: TokenCreadoRespuesta) => void }) {
  const [nombre, setNombre] = useState('');
  const [rol, setRol] = useState<Rol>('agente');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: Event) => {
    event.preventDefault();
    setError(null);
    setBusy(true);
    try {
      onCreated(await api<TokenCreadoRespuesta>('POST', '/api/v1/tokens', { nombre: nombre.trim(), rol }));
      setNombre('');
      setRol('agente');
    } catch (caught) {
      setError(adminErrorText(caught, 'No se pudo crear el token.'));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="admin-form" onSubmit={(e) => void submit(e)} aria-labelledby="create-token-title">
      <h2 id="create-token-title">Crear un token</h2>
      <label>
        Nombre (para qué sistema es)
        <input
          name="nombre"
          required
          maxLength={100}
          autoComplete="off"
          value={nombre}
          placeholder="p. ej. ERP de cobranzas"
          onInput={(e) => setNombre(e.currentTarget.value)}
        />
      </label>
      <RoleField
        id="new-token-rol"
        value={rol}
        onChange={setRol}
        hint="Agente: lee conversaciones y envía mensajes. Administrador: además gestiona agentes y tokens."
      />
      <div class="form-actions">
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Creando…' : 'Crear token'}
        </button>
      </div>
      <ErrorAlert message={error} />
    </form>
  );
}

function TokenList({
  tokens,
  onRevoked,
  onError,
}: {
  tokens: TokenApi[];
  onRevoked: (token: TokenApi) => void;
  onError: (message: string) => void;
}) {
  const [busy, setBusy] = useState<number | null>(null);
  const revoke = async (token: TokenApi) => {
    if (
      !window.confirm(
        `¿Revocar el token «${token.nombre}»? Los sistemas que lo usan dejarán de tener acceso al momento. No se puede deshacer.`,
      )
    )
      return;
    setBusy(token.id);
    try {
      await api('DELETE', `/api/v1/tokens/${seg(token.id)}`);
      onRevoked(token);
    } catch (caught) {
      // Already revoked elsewhere: the list is reloaded by the caller either way.
      if (caught instanceof ApiError && caught.code === 'HTTP_NOT_FOUND') onRevoked(token);
      else onError(adminErrorText(caught, 'No se pudo revocar el token.'));
    } finally {
      setBusy(null);
    }
  };
  if (tokens.length === 0) return <p class="muted">Aún no hay tokens de API.</p>;
  return (
    <div class="table-scroll" tabIndex={0} role="region" aria-label="Tokens de API">
      <table class="admin-table">
        <thead>
          <tr>
            <th scope="col">Nombre</th>
            <th scope="col">Rol</th>
            <th scope="col">Creado</th>
            <th scope="col">Estado</th>
            <th scope="col">
              <span class="sr-only">Acciones</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {tokens.map((token) => (
            <tr key={token.id} class={token.activo ? undefined : 'inactive'}>
              <th scope="row">{token.nombre}</th>
              <td data-label="Rol">{ROLE_NAMES[token.rol]}</td>
              <td class="muted" data-label="Creado">
                {when(token.creado_en)}
              </td>
              <td data-label="Estado">
                {token.activo ? (
                  <span class="badge badge-agent">Activo</span>
                ) : (
                  <span class="badge badge-error">Revocado{token.revocado_en ? ` el ${when(token.revocado_en)}` : ''}</span>
                )}
              </td>
              <td>
                {token.activo ? (
                  <button type="button" disabled={busy === token.id} onClick={() => void revoke(token)}>
                    Revocar<span class="sr-only"> el token {token.nombre}</span>
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The templates registry's sync with Meta (POST /api/v1/plantillas/sincronizar, admins). */
function TemplatesSync() {
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<SincronizacionResponse['sincronizacion'] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const sync = async () => {
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      setResult((await api<SincronizacionResponse>('POST', '/api/v1/plantillas/sincronizar')).sincronizacion);
    } catch (caught) {
      if (caught instanceof ApiError && caught.code === 'TEMPLATES_SYNC_FAILED')
        setError(`Meta no entregó las plantillas. Revisa WHATSAPP_BUSINESS_ACCOUNT_ID y el token de acceso. Detalle: ${caught.message}`);
      else setError(adminErrorText(caught, 'No se pudo sincronizar.'));
    } finally {
      setBusy(false);
    }
  };
  const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  return (
    <section class="card admin-card" aria-labelledby="templates-title">
      <h2 id="templates-title">Plantillas de mensajes</h2>
      <p class="muted">
        Los agentes solo pueden enviar plantillas aprobadas por Meta (las únicas permitidas fuera de la ventana de 24 horas). Sincroniza
        después de crear o editar plantillas en el administrador de WhatsApp de Meta.
      </p>
      <button type="button" class="primary" disabled={busy} onClick={() => void sync()}>
        {busy ? 'Sincronizando…' : 'Sincronizar con Meta'}
      </button>
      <ErrorAlert message={error} />
      <p class="success" role="status">
        {result
          ? `${result.origen === 'sandbox' ? 'Plantillas del sandbox (sin token de acceso de Meta)' : 'Sincronizado con Meta'}: ` +
            `${plural(result.recibidas, 'plantilla recibida', 'plantillas recibidas')}, ${plural(result.nuevas, 'nueva', 'nuevas')}, ` +
            `${plural(result.actualizadas, 'actualizada', 'actualizadas')}, ${plural(result.retiradas, 'retirada', 'retiradas')}.`
          : ''}
      </p>
    </section>
  );
}

/** /admin/tokens: API tokens for other systems, and the templates sync (admins only; docs/inbox.md). */
export function TokensPage() {
  const [tokens, setTokens] = useState<TokenApi[] | null>(null);
  const [created, setCreated] = useState<TokenCreadoRespuesta | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [forbidden, setForbidden] = useState(false);
  const admin = isAdmin();

  const load = async () => {
    try {
      setTokens((await api<TokensRespuesta>('GET', '/api/v1/tokens')).tokens);
    } catch (caught) {
      if (caught instanceof ApiError && caught.status === 403) setForbidden(true);
      else setError(adminErrorText(caught, 'No se pudo cargar la lista de tokens.'));
    }
  };

  useEffect(() => {
    document.title = 'Tokens de API · Charla';
    if (admin) void load();
  }, [admin]);

  if (!admin || forbidden) return <NoPermission title="Tokens de API" />;
  const active = tokens?.filter((t) => t.activo).length ?? 0;

  return (
    <main class="page admin-page">
      <h1>Tokens de API</h1>
      <p class="muted">
        Un token permite a otro sistema (el ERP, un script) usar la API de Charla sin la contraseña de una persona. Crea uno por sistema,
        para poder revocarlo sin afectar a los demás.
      </p>
      <Messages error={error} done={done} />
      <section class="card admin-card">
        <CreateToken
          onCreated={(token) => {
            setCreated(token);
            setDone(null);
            setError(null);
            void load();
          }}
        />
        {created ? <NewSecret token={created} onClose={() => setCreated(null)} /> : null}
      </section>
      <section class="card admin-card" aria-labelledby="tokens-title">
        <h2 id="tokens-title">
          Tokens{' '}
          {tokens ? (
            <span class="muted heading-count">
              ({active === 1 ? '1 activo' : `${active} activos`}
              {tokens.length - active === 1 ? ', 1 revocado' : tokens.length > active ? `, ${tokens.length - active} revocados` : ''})
            </span>
          ) : null}
        </h2>
        {tokens === null ? (
          error ? null : (
            <p class="muted">Cargando…</p>
          )
        ) : (
          <TokenList
            tokens={tokens}
            onRevoked={(token) => {
              setError(null);
              setDone(`Se revocó el token «${token.nombre}».`);
              if (created?.id === token.id) setCreated(null);
              void load();
            }}
            onError={(message) => {
              setDone(null);
              setError(message);
            }}
          />
        )}
      </section>
      <TemplatesSync />
    </main>
  );
}
