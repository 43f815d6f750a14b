import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { charla } from './helpers/cli.js';
import { spawnCharla } from './helpers/processes.js';

const dir = mkdtempSync(path.join(tmpdir(), 'charla-port-'));
const databaseUrl = `pglite:${path.join(dir, 'db')}`;
let taken: net.Server;
let port: number;

beforeAll(async () => {
  // The database at head first, so that `serve` gets as far as listening.
  expect((await charla(databaseUrl, 'db', 'upgrade', 'head')).code).toBe(0);
  taken = net.createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  port = (taken.address() as net.AddressInfo).port;
});

afterAll(async () => {
  await new Promise((resolve) => taken.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

/** Runs `charla <command>` from the sources; resolves when it exits, with how long after its FAILED line that was. */
async function run(command: 'serve' | 'start'): Promise<{ code: number; stderr: string; stdout: string; afterFailure: number }> {
  const child = spawnCharla(databaseUrl, [command], {
    env: { HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn' },
    killAfterMs: 40_000,
  });
  let failedAt = 0;
  void child.waitFor(/FAILED/).then(
    () => (failedAt = Date.now()),
    () => undefined,
  );
  const { code, stdout, stderr, exitedAt } = await child.exited;
  return { code, stdout, stderr, afterFailure: failedAt ? exitedAt - failedAt : Infinity };
}

describe('a port that another program listens on', () => {
  it.each(['serve', 'start'] as const)('charla %s says so in one line and exits at once', { timeout: 60_000 }, async (command) => {
    const result = await run(command);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `FAILED (PORT_IN_USE): Another program is listening on 127.0.0.1:${port} already; stop it or set PORT to a free port`,
    );
    expect(result.stderr).not.toContain('    at ');
    // Migration progress may come before it (start), nothing after it.
    expect(result.stderr.trim().split('\n').at(-1)).toMatch(/^FAILED \(PORT_IN_USE\): /);
    // The database closed, the phone-index timer stopped, no worker started: nothing keeps the process.
    expect(result.afterFailure).toBeLessThan(3_000);
  });
});
