import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { startServer } from './helpers/processes.js';

const dir = mkdtempSync(path.join(tmpdir(), 'charla-start-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('charla start on a fresh embedded database prints a working sign-in, then the API answers that admin', { timeout: 60_000 }, async () => {
  const server = await startServer('start', { DATABASE_URL: `pglite:${path.join(dir, 'db')}` });
  try {
    const printed = /Sign in as (\S+) with the password (\S+) /.exec(server.output());
    expect(printed?.[1]).toBe('admin@charla.local');
    const login = await fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: printed?.[1], password: printed?.[2] }),
    });
    expect(login.status).toBe(200);
    const { token } = (await login.json()) as { token: string };
    const stats = await fetch(`${server.url}/api/v1/conversaciones-whatsapp/estadisticas`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(stats.status).toBe(200);
    // Demo customers, no messages yet.
    expect(await stats.json()).toMatchObject({ total: 0 });
    expect((await fetch(`${server.url}/api/v1/conversaciones-whatsapp/estadisticas`)).status).toBe(401);
  } finally {
    await server.stop();
  }
});
