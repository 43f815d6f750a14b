import type { ComponentChildren } from 'preact';
import { useLocation } from 'preact-iso';
import { useEffect } from 'preact/hooks';
import { online, startLive, stopLive } from '../live.js';
import { environment, isAdmin, principal, signOut } from '../session.js';

/** The frame of every signed-in page: navigation, who is signed in, the connection banner. */
export function Shell({ children }: { children: ComponentChildren }) {
  const location = useLocation();
  useEffect(() => {
    startLive();
    return stopLive;
  }, []);
  const link = (href: string, label: string, match = href) => (
    <a href={href} class="nav-link" aria-current={location.path.startsWith(match) ? 'page' : undefined}>
      {label}
    </a>
  );
  const leave = async () => {
    await signOut();
    location.route('/entrar', true);
  };
  return (
    <div class="shell">
      <header class="top-bar">
        <a href="/conversaciones" class="brand" aria-label="Charla, inicio">
          <span class="brand-mark" aria-hidden="true" />
          Charla
        </a>
        <nav aria-label="Secciones" class="nav">
          {link('/conversaciones', 'Conversaciones')}
          {link('/estadisticas', 'Estadísticas')}
          {isAdmin() ? link('/admin/agentes', 'Agentes') : null}
          {isAdmin() ? link('/admin/tokens', 'Tokens') : null}
          {environment.value?.sandbox ? link('/simulador', 'Simulador') : null}
        </nav>
        <div class="who">
          <span class="who-name">{principal.value?.name}</span>
          <button type="button" class="link-button" onClick={() => void leave()}>
            Salir
          </button>
        </div>
      </header>
      {online.value ? null : (
        <div class="offline" role="status">
          Sin conexión con Charla: reintentando… Lo que llegue mientras tanto aparecerá al reconectar.
        </div>
      )}
      {children}
    </div>
  );
}
