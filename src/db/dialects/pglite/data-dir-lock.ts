import { randomBytes } from 'node:crypto';
import { readFileSync, readlinkSync, unlinkSync } from 'node:fs';
import { link, mkdir, readFile, readdir, rename, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CharlaError } from '../../../errors/charla-error.js';
import { errorCode, unusable } from './data-dir.js';

const LOCK_POLL_MS = 200;

/*
 * The data-directory lock.
 *
 * It was `proper-lockfile`, which judges a lock stale by its age: the holder touches it every 5 s
 * and a lock untouched for 10 s is taken over. A holder that is only paused (`kill -STOP`, a
 * suspended laptop, a frozen VM, a long GC) loses its lock to a second process, which then writes
 * to the same files: corruption, and the first process dies with ECOMPROMISED when it resumes.
 * proper-lockfile has no way to ask "is the holder alive?", so this is a small lock of our own that
 * asks exactly that, and is never taken over for being old.
 *
 * In `<dataDir>.lock/` each process writes `<token>.candidate` (its pid, host name, PID namespace,
 * process start time and a random token), then tries `link(candidate, "holder")`: link fails with
 * EEXIST while another holds the lock, so exactly one process holds it. A waiter reads `holder`
 * and takes it over only when that process is gone: same host and PID namespace, and
 * `process.kill(pid, 0)` says ESRCH (or the process is a zombie, or the pid now belongs to a process
 * started at another time, or it is this process's own pid without this process holding it: a
 * restarted container).
 * Taking over first renames the dead holder's candidate file to `<own token>.broken`: only one
 * waiter can win that rename, and only the winner removes `holder`, so two waiters can never both
 * break a lock and then both hold it (the race proper-lockfile has). A holder on another host or
 * in another PID namespace cannot be checked and is presumed alive; the message names the lock
 * folder to delete by hand. There is nothing to refresh, so a late or paused holder never loses
 * its lock and never crashes. The lock is removed on release and on process exit; after a
 * SIGKILL the next process finds the pid gone and takes the lock at once.
 */

interface LockRecord {
  pid: number;
  hostname: string;
  pidNamespace: string | null;
  startTime: string | null;
  token: string;
}

/** Tokens of the locks this process holds or is acquiring. */
const ownTokens = new Set<string>();

export async function lockDataDir(dataDir: string, waitMs: number): Promise<() => Promise<void>> {
  const lockDir = `${dataDir}.lock`;
  const holderPath = path.join(lockDir, 'holder');
  const me: LockRecord = {
    ...thisMachine(),
    pid: process.pid,
    startTime: startTimeOf(process.pid),
    token: randomBytes(12).toString('hex'),
  };
  const mine = path.join(lockDir, `${me.token}.candidate`);
  ownTokens.add(me.token);
  const giveUp = async (error: CharlaError): Promise<never> => {
    ownTokens.delete(me.token);
    await unlink(mine).catch(() => undefined);
    throw error;
  };
  try {
    await mkdir(lockDir).catch((error: unknown) => {
      if (errorCode(error) !== 'EEXIST') throw error;
    });
    await writeFile(mine, JSON.stringify(me), { flag: 'wx' });
  } catch (error) {
    return giveUp(unusable(dataDir, lockDir, error));
  }

  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      await link(mine, holderPath);
      break;
    } catch (error) {
      const code = errorCode(error);
      if (code === 'EPERM' || code === 'ENOTSUP' || code === 'ENOSYS' || code === 'EOPNOTSUPP') {
        // The candidate file was just written, so this is not about permissions.
        return giveUp(
          new CharlaError(
            'DATABASE_UNAVAILABLE',
            `The file system of ${lockDir} does not support hard links (${code}), which the embedded database's lock needs: ` +
              'set DATABASE_URL to pglite:<a folder on a local disk>.',
            { cause: error },
          ),
        );
      }
      if (code !== 'EEXIST') return giveUp(unusable(dataDir, holderPath, error));
    }
    const holder = await readLockRecord(holderPath);
    if (holder === 'vanished') continue;
    if (holder !== 'unreadable' && isGone(holder)) {
      await takeOver(lockDir, holderPath, holder, me);
      continue;
    }
    if (Date.now() >= deadline) return giveUp(busy(dataDir, lockDir, holder, waitMs));
    await sleep(LOCK_POLL_MS);
  }

  await removeLeftovers(lockDir, me);
  const held = { holderPath, mine, content: JSON.stringify(me) };
  heldLocks.add(held);
  if (heldLocks.size === 1 && !process.listeners('exit').includes(releaseHeldLocksOnExit)) process.on('exit', releaseHeldLocksOnExit);
  let released = false;
  return async () => {
    if (released) return;
    released = true;
    heldLocks.delete(held);
    const holder = await readLockRecord(holderPath);
    if (holder !== 'vanished' && holder !== 'unreadable' && holder.token === me.token) await unlink(holderPath).catch(() => undefined);
    await unlink(mine).catch(() => undefined);
    ownTokens.delete(me.token);
  };
}

/** The locks this process holds, removed at exit even when nobody closed the database. */
const heldLocks = new Set<{ holderPath: string; mine: string; content: string }>();

function releaseHeldLocksOnExit(): void {
  for (const { holderPath, mine, content } of heldLocks) {
    try {
      if (readFileSync(holderPath, 'utf8') === content) unlinkSync(holderPath);
      unlinkSync(mine);
    } catch {
      // Already gone; a lock left behind is taken over once this pid is gone.
    }
  }
}

/** Removes `holder` for a holder that is gone, unless another waiter is doing it already. */
async function takeOver(lockDir: string, holderPath: string, holder: LockRecord, me: LockRecord): Promise<void> {
  const tomb = path.join(lockDir, `${me.token}.broken`);
  try {
    await rename(path.join(lockDir, `${holder.token}.candidate`), tomb);
  } catch {
    // Another waiter won the rename (or its file was deleted by hand): wait for the next look.
    await sleep(LOCK_POLL_MS);
    return;
  }
  await unlink(holderPath).catch(() => undefined);
  await unlink(tomb).catch(() => undefined);
}

/** Candidate files of processes that are gone, and renamed files of finished take-overs. */
async function removeLeftovers(lockDir: string, me: LockRecord): Promise<void> {
  const names = await readdir(lockDir).catch(() => [] as string[]);
  for (const name of names) {
    if (name === 'holder' || name.startsWith(me.token)) continue;
    const file = path.join(lockDir, name);
    if (name.endsWith('.broken')) await unlink(file).catch(() => undefined);
    if (!name.endsWith('.candidate')) continue;
    const record = await readLockRecord(file);
    if (record !== 'vanished' && record !== 'unreadable' && isGone(record)) await unlink(file).catch(() => undefined);
  }
}

async function readLockRecord(file: string): Promise<LockRecord | 'vanished' | 'unreadable'> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    return errorCode(error) === 'ENOENT' ? 'vanished' : 'unreadable';
  }
  try {
    const record = JSON.parse(text) as Partial<LockRecord>;
    if (typeof record.pid === 'number' && typeof record.hostname === 'string' && typeof record.token === 'string') {
      return {
        pid: record.pid,
        hostname: record.hostname,
        pidNamespace: record.pidNamespace ?? null,
        startTime: record.startTime ?? null,
        token: record.token,
      };
    }
  } catch {
    // Not ours.
  }
  return 'unreadable';
}

/** Whether the process of `record` has certainly ended; when in doubt, it has not. */
function isGone(record: LockRecord): boolean {
  const here = thisMachine();
  if (record.hostname !== here.hostname || record.pidNamespace !== here.pidNamespace) return false;
  if (record.pid === process.pid) return !ownTokens.has(record.token);
  try {
    process.kill(record.pid, 0);
  } catch (error) {
    if (errorCode(error) === 'ESRCH') return true;
  }
  // A SIGKILLed process whose parent has not reaped it yet is a zombie: gone, though kill() finds it.
  const stat = processStat(record.pid);
  if (stat?.[0] === 'Z' || stat?.[0] === 'X') return true;
  const startTime = stat?.[19] ?? null;
  return record.startTime !== null && startTime !== null && startTime !== record.startTime;
}

function thisMachine(): { hostname: string; pidNamespace: string | null } {
  let pidNamespace: string | null = null;
  try {
    pidNamespace = readlinkSync('/proc/self/ns/pid');
  } catch {
    // Not Linux: the host name alone.
  }
  return { hostname: hostname(), pidNamespace };
}

/** The start time of a process in clock ticks since boot (Linux), to tell a reused pid apart. */
function startTimeOf(pid: number): string | null {
  return processStat(pid)?.[19] ?? null;
}

/** The fields of /proc/<pid>/stat after the command name (state first), or null off Linux. */
function processStat(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

function busy(dataDir: string, lockDir: string, holder: LockRecord | 'unreadable', waitMs: number): CharlaError {
  const waited = `(waited ${Math.round(waitMs / 1000)} s)`;
  if (holder === 'unreadable') {
    return new CharlaError(
      'DATABASE_UNAVAILABLE',
      `The embedded database at ${dataDir} is locked, and the lock in ${lockDir} cannot be read ${waited}. ` +
        `If no Charla process is using this folder, delete ${lockDir}.`,
    );
  }
  if (isGone(holder)) {
    return new CharlaError(
      'DATABASE_UNAVAILABLE',
      `The embedded database at ${dataDir} is locked by pid ${holder.pid}, which has ended, but its lock could not be taken over ${waited}. ` +
        `If no Charla process is using this folder, delete ${lockDir}.`,
    );
  }
  const here = thisMachine();
  const elsewhere = holder.hostname !== here.hostname || holder.pidNamespace !== here.pidNamespace;
  const who =
    holder.pid === process.pid && !elsewhere
      ? 'This process has'
      : `Another Charla process (pid ${holder.pid}${elsewhere ? ` on ${holder.hostname}` : ''}) is using`;
  return new CharlaError(
    'DATABASE_UNAVAILABLE',
    `${who} the embedded database at ${dataDir} ${waited}. ` +
      'PGlite allows one process at a time: stop the other process, or use PostgreSQL for several processes.' +
      (elsewhere ? ` That process cannot be checked from here: if it is no longer running, delete ${lockDir}.` : ''),
  );
}
