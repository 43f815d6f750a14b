import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import type { CliRun } from './cli.js';

/**
 * Processes started from the TypeScript sources (`node --import tsx …`): `charla` commands run to
 * completion, servers waited for until they listen, workers left running. One place spawns them,
 * collects what they print and kills whatever a test leaves behind.
 */
export const ROOT = path.resolve(import.meta.dirname, '../..');
const CHARLA = path.join(ROOT, 'src/cli/charla.ts');

export interface ProcessOptions {
  /** Added to this process's environment (which carries CHARLA_LOG_CAPTURE to the child). */
  env?: Record<string, string>;
  /** Run as another user (tests of permissions). */
  user?: { uid?: number; gid?: number };
  /** SIGKILL it after this long, so that a hung process fails its test instead of hanging the run. */
  killAfterMs?: number;
}

export interface ProcessExit extends CliRun {
  signal: NodeJS.Signals | null;
  /** Date.now() when it exited. */
  exitedAt: number;
}

export interface RunningProcess {
  readonly child: ChildProcessWithoutNullStreams;
  readonly pid: number;
  stdout(): string;
  stderr(): string;
  /** stdout and stderr, interleaved as they arrived. */
  output(): string;
  /**
   * The first match of `pattern` in what it printed, as soon as it appears; rejects when the
   * process exits first or after `timeoutMs`.
   */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  /** Resolves once it has exited and its output is complete. */
  readonly exited: Promise<ProcessExit>;
  /** Sends `signal` (SIGTERM unless said) and waits for the exit; SIGKILL if it has not exited after `graceMs`. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<ProcessExit>;
}

/** Children still running: killed when the test file's process exits, whatever the tests did. */
const running = new Set<ChildProcessWithoutNullStreams>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** `node --import tsx <args…>` from the project's root. */
export function spawnFromSources(args: string[], options: ProcessOptions = {}): RunningProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...options.env },
    ...options.user,
  });
  running.add(child);
  let stdout = '';
  let stderr = '';
  let output = '';
  const watchers = new Set<() => void>();
  const onData = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
    const text = chunk.toString();
    if (stream === 'stdout') stdout += text;
    else stderr += text;
    output += text;
    for (const watcher of watchers) watcher();
  };
  child.stdout.on('data', onData('stdout'));
  child.stderr.on('data', onData('stderr'));
  const killTimer = options.killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), options.killAfterMs);
  let exitedAt = 0;
  let hasExited = false;
  /** Exited, and everything it printed has been read. */
  let closed = false;
  child.once('exit', () => {
    exitedAt = Date.now();
    hasExited = true;
    clearTimeout(killTimer);
    running.delete(child);
  });
  const exited = new Promise<ProcessExit>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      closed = true;
      for (const watcher of watchers) watcher();
      resolve({ code: code ?? -1, signal, stdout, stderr, exitedAt: exitedAt || Date.now() });
    });
  });
  // A test that never awaits `exited` must not get an unhandled rejection from a failed spawn.
  exited.catch(() => undefined);

  const waitFor = (pattern: RegExp, timeoutMs = 60_000): Promise<RegExpExecArray> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => finish(new Error(`no ${String(pattern)} within ${timeoutMs} ms; it printed:\n${output}`)), timeoutMs);
      const finish = (result: RegExpExecArray | Error): void => {
        clearTimeout(timer);
        watchers.delete(check);
        if (result instanceof Error) reject(result);
        else resolve(result);
      };
      const check = (): void => {
        const match = pattern.exec(output);
        if (match) finish(match);
        else if (closed)
          finish(new Error(`it exited (code ${child.exitCode}, ${child.signalCode}) before printing ${String(pattern)}:\n${output}`));
      };
      watchers.add(check);
      check();
    });

  return {
    child,
    pid: child.pid ?? -1,
    stdout: () => stdout,
    stderr: () => stderr,
    output: () => output,
    waitFor,
    exited,
    stop: async (signal = 'SIGTERM', graceMs = 15_000) => {
      if (hasExited) return exited;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** `charla <args…>` from the sources, left running. */
export function spawnCharla(databaseUrl: string | undefined, args: string[], options: ProcessOptions = {}): RunningProcess {
  return spawnFromSources([CHARLA, ...args], {
    ...options,
    env: { ...(databaseUrl === undefined ? {} : { DATABASE_URL: databaseUrl }), ...options.env },
  });
}

/** Runs `charla <args…>` as a separate process from the sources, to completion. */
export async function charlaProcess(
  databaseUrl: string,
  args: string[],
  env: Record<string, string> = {},
  /** Run as another user (tests of permissions). */
  user: { uid?: number; gid?: number } = {},
): Promise<CliRun> {
  const { code, stdout, stderr } = await spawnCharla(databaseUrl, args, { env, user }).exited;
  return { code, stdout, stderr };
}

export interface ServerProcess extends RunningProcess {
  /** Where it listens, e.g. http://127.0.0.1:41234. */
  url: string;
}

/** Starts `charla serve|start` on a free port and resolves once it listens. */
export async function startServer(command: 'serve' | 'start', env: Record<string, string>): Promise<ServerProcess> {
  const server = spawnCharla(undefined, [command], { env: { PORT: '0', LOG_LEVEL: 'warn', ...env } });
  try {
    const [, url] = await server.waitFor(/listening on (http:\/\/[\d.]+:\d+)/);
    return Object.assign(server, { url: url as string });
  } catch (error) {
    await server.stop('SIGKILL');
    throw new Error(`charla ${command} did not start`, { cause: error });
  }
}

/** Starts `charla worker` on `databaseUrl`, silent, sending to the Graph API stand-in at `graphUrl`. */
export function startWorker(databaseUrl: string, graphUrl: string, env: Record<string, string> = {}): RunningProcess {
  return spawnCharla(databaseUrl, ['worker'], {
    env: {
      WHATSAPP_ACCESS_TOKEN: 'EAAG-test',
      WHATSAPP_API_URL: graphUrl,
      WHATSAPP_PHONE_NUMBER_ID: '106540352242922',
      LOG_LEVEL: 'silent',
      ...env,
    },
  });
}
