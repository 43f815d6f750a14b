import { signal } from '@preact/signals';
import { api, ApiError } from './api.js';
import type { Principal } from './types.js';

/** Who is signed in: undefined while asking, null when nobody. */
export const principal = signal<Principal | null | undefined>(undefined);
/** The session ended while the page was in use (expired, or ended elsewhere): the sign-in page says so. */
export const sessionExpired = signal(false);
/** What the server tells the page about itself (sandbox mode, time zone). */
export const environment = signal<{ sandbox: boolean; zona_horaria: string; moneda: string } | null>(null);

export async function loadSession(): Promise<void> {
  try {
    const [me, env] = await Promise.all([
      api<{ principal: Principal }>('GET', '/api/v1/auth/me'),
      api<{ sandbox: boolean; zona_horaria: string; moneda: string }>('GET', '/api/v1/entorno'),
    ]);
    environment.value = env;
    principal.value = me.principal;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) principal.value = null;
    else throw error;
  }
}

export async function signIn(email: string, password: string): Promise<void> {
  await api('POST', '/api/v1/auth/login', { email, password });
  await loadSession();
  sessionExpired.value = false;
}

export async function signOut(): Promise<void> {
  try {
    await api('POST', '/api/v1/auth/logout');
  } finally {
    principal.value = null;
  }
}

export const isAdmin = (): boolean => principal.value?.role === 'admin';
