import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { startServer } from './helpers/processes.js';

const dir = mkdtempSync(path.join(tmpdir(), 'charla-start-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it(
  'charla start on a fresh embedded database ends with a banner: the inbox, the simulator and a working sign-in',
  { timeout: 150_000 },
  async () => {
    const server = await startServer('start', { DATABASE_URL: `pglite:${path.join(dir, 'db')}` });
    try {
      // The banner's last line (the rule after the sign-in) has been printed too.
      const printed = await server.waitFor(/Sign in: +(\S+) \/ (\S+) .*\n─+\n/);
      expect(printed[1]).toBe('admin@charla.local');
      const lines = server.stdout().trimEnd().split('\n').slice(-5);
      expect(lines[1]).toBe(`  Inbox:      ${server.url}/`);
      expect(lines[2]).toMatch(new RegExp(`^  Simulator:  ${server.url}/simulador `));
      expect(lines[3]).toMatch(/^ {2}Sign in: /);
      // The inbox's address: signed out, the sign-in page; its HTML is served.
      const home = await fetch(`${server.url}/`, { redirect: 'manual' });
      expect([home.status, home.headers.get('location')]).toEqual([302, '/entrar']);
      const signInPage = await fetch(`${server.url}/entrar`);
      expect(signInPage.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await signInPage.text()).toMatch(/<script type="module" src="\/assets\/inbox-[A-Z0-9]+\.js">/);
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
  },
);
