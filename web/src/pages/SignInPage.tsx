import { useLocation } from 'preact-iso';
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api.js';
import { principal, sessionExpired, signIn } from '../session.js';
import { ErrorAlert } from '../components/ErrorAlert.js';

export function SignInPage() {
  const location = useLocation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const back = location.query['volver'];
  const destination = back?.startsWith('/') && !back.startsWith('//') ? back : '/conversaciones';

  useEffect(() => {
    document.title = 'Entrar · Charla';
    if (principal.value) location.route(destination, true);
  }, [principal.value]);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(email.trim(), password);
      location.route(destination, true);
    } catch (caught) {
      if (caught instanceof ApiError && caught.code === 'LOGIN_FAILED') setError('Correo o contraseña incorrectos.');
      else if (caught instanceof ApiError && caught.code === 'LOGIN_RATE_LIMITED')
        setError('Demasiados intentos fallidos. Espera unos minutos antes de volver a intentarlo.');
      else setError(caught instanceof Error ? caught.message : 'No se pudo entrar.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="sign-in">
      <form class="card sign-in-card" onSubmit={(e) => void submit(e)} aria-labelledby="sign-in-title">
        <div class="brand brand-large" aria-hidden="true">
          <span class="brand-mark" />
          Charla
        </div>
        <h1 id="sign-in-title">Entrar a la bandeja</h1>
        {sessionExpired.value ? <p class="notice">Tu sesión terminó. Vuelve a entrar; tus borradores se guardaron.</p> : null}
        <label>
          Correo
          <input
            type="email"
            name="email"
            autoComplete="username"
            required
            value={email}
            onInput={(e) => setEmail(e.currentTarget.value)}
          />
        </label>
        <label>
          Contraseña
          <input
            type="password"
            name="password"
            autoComplete="current-password"
            required
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </label>
        <ErrorAlert message={error} />
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Entrando…' : 'Entrar'}
        </button>
      </form>
    </main>
  );
}
