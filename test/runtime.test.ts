import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { charla } from './helpers/cli.js';
import { spawnCharla } from './helpers/processes.js';

/** `charla serve`, `worker` and `start` share one runtime: the at-head check, the roles, the stop on a signal. */
const dir = mkdtempSync(path.join(tmpdir(), 'charla-runtime-'));
const databaseUrl = `pglite:${path.join(dir, 'db')}`;
const env = { PORT: '0', LOG_LEVEL: 'warn', WHATSAPP_APP_SECRET: 'runtime-test-secret' };

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a database one revision behind head', () => {
  beforeAll(async () => {
    expect((await charla(databaseUrl, 'db', 'upgrade', 'head')).code).toBe(0);
    expect((await charla(databaseUrl, 'db', 'downgrade', '-1')).code).toBe(0);
  });

  it.each(['serve', 'worker'] as const)(
    'charla %s refuses to run on it, naming where it is and what to run',
    { timeout: 60_000 },
    async (command) => {
      const { stdout: current } = await charla(databaseUrl, 'db', 'current');
      const exit = await spawnCharla(databaseUrl, [command], { env, killAfterMs: 45_000 }).exited;
      expect(exit.code).toBe(1);
      expect(exit.stderr).toContain(
        `FAILED (MIGRATION_TARGET_INVALID): The database is at ${current.trim()}, not at head: run 'charla db upgrade head' first (or 'charla start').`,
      );
      expect(exit.stdout).not.toContain('listening');
      expect(exit.stdout).not.toContain('worker running');
    },
  );
});

describe('at head', () => {
  beforeAll(async () => {
    expect((await charla(databaseUrl, 'db', 'upgrade', 'head')).code).toBe(0);
  });

  it(
    'charla worker runs the workers without listening, and SIGTERM stops it cleanly, releasing the database',
    { timeout: 60_000 },
    async () => {
      const worker = spawnCharla(databaseUrl, ['worker'], { env, killAfterMs: 45_000 });
      await worker.waitFor(/Charla worker running \(\d+\)\./);
      await worker.waitFor(/SANDBOX: no WHATSAPP_ACCESS_TOKEN/);
      expect(worker.output()).not.toContain('listening');
      const exit = await worker.stop('SIGTERM');
      expect(exit.code).toBe(0);
      expect(exit.stdout).toContain('SIGTERM received: finishing requests in flight, then stopping.');
      // The embedded database's lock went with it: the next command opens it at once.
      expect((await charla(databaseUrl, 'db', 'current')).code).toBe(0);
    },
  );

  it('charla serve listens without the workers, and SIGINT stops it cleanly, releasing the database', { timeout: 60_000 }, async () => {
    const server = spawnCharla(databaseUrl, ['serve'], { env, killAfterMs: 45_000 });
    const [, url] = await server.waitFor(/listening on (http:\/\/[\d.]+:\d+)/);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    expect(server.output()).not.toContain('SANDBOX');
    const exit = await server.stop('SIGINT');
    expect(exit.code).toBe(0);
    expect(exit.stdout).toContain('SIGINT received: finishing requests in flight, then stopping.');
    expect((await charla(databaseUrl, 'db', 'current')).code).toBe(0);
  });
});
