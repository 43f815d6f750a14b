/**
 * Every call to Charla's API goes through `api()`: same-origin JSON with the session cookie, errors
 * as ApiError with the server's code and, as the message, its Spanish `detail` (the English
 * `error.message` when there is none; docs/errors.md), and a 401 sends the agent back to the
 * sign-in page (drafts stay in localStorage, see drafts.ts).
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

let onSessionEnded: (() => void) | undefined;

/** What to do when a call answers 401 (the session expired or was ended elsewhere). */
export function whenSessionEnds(handler: () => void): void {
  onSessionEnded = handler;
}

export async function api<T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch {
    throw new ApiError(0, 'NETWORK', 'No hay conexión con Charla. Revisa la red e inténtalo de nuevo.');
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let json: unknown = undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    // An answer that is not JSON (a proxy's error page): reported below by its status.
  }
  if (!response.ok) {
    const failure = json as { error?: { code?: string; message?: string }; detail?: unknown } | undefined;
    const error = failure?.error;
    const detail = typeof failure?.detail === 'string' ? failure.detail : undefined;
    if (response.status === 401 && path !== '/api/v1/auth/login') onSessionEnded?.();
    throw new ApiError(response.status, error?.code ?? `HTTP_${response.status}`, detail ?? error?.message ?? `Error ${response.status}`);
  }
  return json as T;
}

/** A number as a path segment. */
export const seg = (text: string | number): string => encodeURIComponent(String(text));
