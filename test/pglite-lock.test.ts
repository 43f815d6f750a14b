import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliRun } from './helpers/cli.js';
import { charlaProcess, spawnFromSources } from './helpers/processes.js';

const dir = mkdtempSync(path.join(tmpdir(), 'charla-lock-'));
chmodSync(dir, 0o755); // the read-only cases run as another user when the tests run as root
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * A process with the embedded database of LOCK_DATA_DIR open (PGlite, its lock). As `holder`, it
 * prints `ready` once open, then for each line on stdin inserts a row and prints `wrote <count>`,
 * or closes and exits on `close`. As `waiter`, it opens (waiting at most LOCK_WAIT_MS when set),
 * writes a row and prints how it went as JSON.
 */
const lockScript = `
const { openPglite } = await import('./src/db/dialects/pglite/pglite.dialect.ts');
const { sql } = await import('kysely');
const { createInterface } = await import('node:readline');
const wait = process.env.LOCK_WAIT_MS ? { lockWaitMs: Number(process.env.LOCK_WAIT_MS) } : {};
if (process.env.LOCK_ROLE === 'waiter') console.log('waiting');
const started = Date.now();
let db;
try {
  db = await openPglite(process.env.LOCK_DATA_DIR, wait);
} catch (error) {
  console.log(JSON.stringify({ ok: false, ms: Date.now() - started, code: error.code, message: error.message }));
  process.exit(0);
}
const ms = Date.now() - started;
await sql\`create table if not exists lock_test (n serial primary key)\`.execute(db.kysely);
const write = async () => {
  await sql\`insert into lock_test default values\`.execute(db.kysely);
  const { rows } = await sql\`select count(*)::int as count from lock_test\`.execute(db.kysely);
  return rows[0].count;
};
if (process.env.LOCK_ROLE === 'waiter') {
  const count = await write();
  await db.kysely.destroy();
  await db.release();
  console.log(JSON.stringify({ ok: true, ms, openedAt: started + ms, count }));
} else {
  console.log('ready');
  for await (const line of createInterface({ input: process.stdin })) {
    if (line === 'close') break;
    console.log('wrote ' + (await write()));
  }
  await db.kysely.destroy();
  await db.release();
  console.log('closed');
  process.exit(0);
}
`;

function lockProcess(role: 'holder' | 'waiter', dataDir: string, lockWaitMs?: number): ChildProcessWithoutNullStreams {
  return spawnFromSources(['--input-type=module', '-e', lockScript], {
    env: { LOCK_ROLE: role, LOCK_DATA_DIR: dataDir, ...(lockWaitMs ? { LOCK_WAIT_MS: String(lockWaitMs) } : {}) },
  }).child;
}

interface Holder {
  child: ChildProcessWithoutNullStreams;
  pid: number;
  /** Sends a line and resolves with the next line printed. */
  send(line: string): Promise<string>;
  stderr(): string;
}

async function startHolder(dataDir: string): Promise<Holder> {
  const child = lockProcess('holder', dataDir);
  let stdout = '';
  let stderr = '';
  const waiting: ((line: string) => void)[] = [];
  const lines: string[] = [];
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    let end: number;
    while ((end = stdout.indexOf('\n')) >= 0) {
      const line = stdout.slice(0, end);
      stdout = stdout.slice(end + 1);
      const next = waiting.shift();
      if (next) next(line);
      else lines.push(line);
    }
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const nextLine = (): Promise<string> =>
    new Promise((resolve, reject) => {
      const early = lines.shift();
      if (early !== undefined) return resolve(early);
      const timer = setTimeout(() => reject(new Error(`the holder printed nothing; stderr:\n${stderr}`)), 30_000);
      waiting.push((line) => {
        clearTimeout(timer);
        resolve(line);
      });
    });
  expect(await nextLine()).toBe('ready');
  return {
    child,
    pid: child.pid ?? -1,
    send: (line) => {
      child.stdin.write(`${line}\n`);
      return nextLine();
    },
    stderr: () => stderr,
  };
}

interface WaiterResult {
  ok: boolean;
  /** How long opening took, waiting for the lock included. */
  ms: number;
  /** When it had the database open (Date.now() of the waiter). */
  openedAt?: number;
  code?: string;
  message?: string;
  count?: number;
}

/** A waiter: `waiting` once it is about to open, `result` when it is done. */
function startWaiter(dataDir: string, lockWaitMs?: number): { waiting: Promise<void>; result: Promise<WaiterResult> } {
  const child = lockProcess('waiter', dataDir, lockWaitMs);
  let stdout = '';
  let stderr = '';
  let started = (): void => {};
  const waiting = new Promise<void>((resolve) => (started = resolve));
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (stdout.startsWith('waiting\n')) started();
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const result = new Promise<WaiterResult>((resolve, reject) => {
    child.on('close', () => {
      try {
        resolve(JSON.parse(stdout.replace(/^waiting\n/, '')) as WaiterResult);
      } catch {
        reject(new Error(`the waiter printed no result:\n${stdout}\n${stderr}`));
      }
    });
  });
  return { waiting, result };
}

function runWaiter(dataDir: string, lockWaitMs?: number): Promise<WaiterResult> {
  return startWaiter(dataDir, lockWaitMs).result;
}

function exited(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

describe('the embedded database lock', () => {
  it(
    'a paused holder keeps its lock past the old 10 s staleness, the others are refused, and it keeps writing when resumed',
    { timeout: 90_000 },
    async () => {
      const dataDir = path.join(dir, 'paused');
      const holder = await startHolder(dataDir);
      try {
        expect(await holder.send('write')).toBe('wrote 1');
        holder.child.kill('SIGSTOP');
        const pausedAt = Date.now();

        // The CLI waits its full 30 s for the paused holder, then gives up.
        const cli = charlaProcess(`pglite:${dataDir}`, ['db', 'current']);
        // proper-lockfile took a lock untouched for 10 s over (the holder touched it every 5 s):
        // a second process starting 15 s into the pause must still be refused.
        await sleep(15_000);
        const late = await runWaiter(dataDir, 1_500);
        expect(late).toMatchObject({ ok: false, code: 'DATABASE_UNAVAILABLE' });
        expect(late.message).toContain(`Another Charla process (pid ${holder.pid}) is using the embedded database at ${dataDir}`);

        const refused: CliRun = await cli;
        expect(Date.now() - pausedAt).toBeGreaterThanOrEqual(29_000);
        expect(refused.code).toBe(1);
        expect(refused.stderr).toContain(
          `FAILED (DATABASE_UNAVAILABLE): Another Charla process (pid ${holder.pid}) is using the embedded database at ${dataDir} (waited 30 s).`,
        );

        holder.child.kill('SIGCONT');
        expect(await holder.send('write')).toBe('wrote 2');
        await sleep(1_500); // proper-lockfile's next check would find its lock taken and throw ECOMPROMISED
        expect(await holder.send('write')).toBe('wrote 3');
        expect(holder.child.exitCode).toBeNull();
        expect(await holder.send('close')).toBe('closed');
        expect(await exited(holder.child)).toBe(0);
        expect(holder.stderr()).not.toMatch(/ECOMPROMISED|Error/);

        // Released: the next process takes the lock at once and sees every row.
        expect(await runWaiter(dataDir, 1_500)).toMatchObject({ ok: true, count: 4 });
      } finally {
        holder.child.kill('SIGCONT');
        holder.child.kill('SIGKILL');
      }
    },
  );

  it('the lock of a SIGKILLed holder is taken over at once', { timeout: 60_000 }, async () => {
    const dataDir = path.join(dir, 'killed');
    const holder = await startHolder(dataDir);
    expect(await holder.send('write')).toBe('wrote 1');
    // Waiting with the default 30 s before the kill, so that only the take-over is timed.
    const next = startWaiter(dataDir);
    await next.waiting;
    await sleep(500);
    const killedAt = Date.now();
    holder.child.kill('SIGKILL');
    await exited(holder.child);

    // proper-lockfile waited until the lock had not been touched for 10 s: 5 s or more after the kill.
    const result = await next.result;
    expect(result).toMatchObject({ ok: true, count: 2 });
    expect((result.openedAt ?? Infinity) - killedAt).toBeLessThan(4_500);
  });

  it('a holder that is alive makes the next one wait, and hands over when it closes', { timeout: 60_000 }, async () => {
    const dataDir = path.join(dir, 'handover');
    const holder = await startHolder(dataDir);
    const waiting = runWaiter(dataDir, 20_000);
    await sleep(2_000);
    expect(await holder.send('close')).toBe('closed');
    const next = await waiting;
    expect(next).toMatchObject({ ok: true, count: 1 });
    expect(next.ms).toBeGreaterThanOrEqual(1_000);
  });
});

describe('the embedded database folder', () => {
  it('a file instead of a folder is named as such', async () => {
    const file = path.join(dir, 'a-file');
    writeFileSync(file, 'not a database');
    for (const [url, message] of [
      [`pglite:${file}`, `The embedded database must be a folder, but ${file} is a file.`],
      [`pglite:${file}/db`, `The embedded database must be a folder, but ${file} is a file (DATABASE_URL points at ${file}/db).`],
    ] as const) {
      const run = await charlaProcess(url, ['db', 'current']);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`FAILED (DATABASE_UNAVAILABLE): ${message}`);
      expect(run.stderr).not.toContain('[object Object]');
    }
  });

  it('a folder that cannot be written, or whose parent cannot, is reported as not writable at once', { timeout: 60_000 }, async () => {
    // chmod does not stop root: when the tests run as root, Charla runs as nobody here.
    const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const readOnlyParent = path.join(dir, 'read-only-parent');
    mkdirSync(readOnlyParent);
    chmodSync(readOnlyParent, 0o555);
    const writableParent = path.join(dir, 'writable-parent');
    mkdirSync(path.join(writableParent, 'db'), { recursive: true });
    chmodSync(writableParent, 0o777);
    chmodSync(path.join(writableParent, 'db'), 0o555);

    for (const dataDir of [path.join(readOnlyParent, 'db'), path.join(writableParent, 'db')]) {
      const started = Date.now();
      const run = await charlaAs(asUser, `pglite:${dataDir}`, ['db', 'current']);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`FAILED (DATABASE_UNAVAILABLE): The embedded database folder ${dataDir} is not writable`);
      expect(run.stderr).not.toContain('Another Charla process');
      expect(Date.now() - started).toBeLessThan(20_000);
    }
  });

  it('places no user can write (/proc, /sys) are reported as not writable, without hanging', { timeout: 60_000 }, async () => {
    const name = `charla-test-${randomBytes(4).toString('hex')}`;
    for (const dataDir of [`/proc/${name}/db`, `/sys/${name}/db`]) {
      const run = await charlaProcess(`pglite:${dataDir}`, ['db', 'current']);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`FAILED (DATABASE_UNAVAILABLE): The embedded database folder ${dataDir} is not writable`);
    }
  });
});

/** `charla …` from the sources as another user (uid/gid), or as this one with `{}`. */
function charlaAs(user: { uid?: number; gid?: number }, databaseUrl: string, args: string[]): Promise<CliRun> {
  return charlaProcess(databaseUrl, args, { HOME: dir }, user);
}
