import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { charla } from './helpers/cli.js';

const root = path.resolve(import.meta.dirname, '..');
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

/** Runs `charla <command>` from the sources; resolves when it exits, with when its last line came. */
function run(command: 'serve' | 'start'): Promise<{ code: number | null; stderr: string; stdout: string; afterFailure: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'src/cli/charla.ts'), command], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: databaseUrl, HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn' },
    });
    let stdout = '';
    let stderr = '';
    let failedAt = 0;
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (!failedAt && stderr.includes('FAILED')) failedAt = Date.now();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 40_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, afterFailure: failedAt ? Date.now() - failedAt : Infinity });
    });
  });
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
