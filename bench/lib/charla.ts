import { spawn } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';

const root = path.resolve(import.meta.dirname, '../..');

export interface CharlaProcess {
  /** Where it listens (empty for `worker`). */
  url: string;
  pid: number;
  stop: () => void;
  exited: Promise<void>;
}

/**
 * Runs the compiled `charla <command>` as production does (with `--cpu-prof` when BENCH_CPU_PROFILE
 * names a folder); resolves when it listens (`start`, `serve`) or at once (`worker`).
 */
export function startCharla(command: 'start' | 'serve' | 'worker', env: Record<string, string>): Promise<CharlaProcess> {
  return new Promise((resolve, reject) => {
    const profile = process.env.BENCH_CPU_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE}`] : [];
    const child = spawn(process.execPath, [...profile, path.join(root, 'bin/charla.js'), command], {
      env: { ...process.env, PORT: '0', LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    const exited = new Promise<void>((done) => child.on('exit', () => done()));
    const started = (url: string): CharlaProcess => ({ url, pid: child.pid as number, stop: () => child.kill('SIGTERM'), exited });
    if (command === 'worker') resolve(started(''));
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/[\d.]+:\d+)/.exec(output);
      if (match?.[1]) resolve(started(match[1]));
    });
    child.on('exit', (code) => reject(new Error(`charla ${command} exited with ${code}: ${output}`)));
  });
}

/** A database of its own on the benchmark's PostgreSQL: its URL, and a way to drop it. */
export async function benchDatabase(
  adminUrl: string,
  name: string,
  options: { reuse?: boolean } = {},
): Promise<{ url: string; reused: boolean; drop: () => Promise<void> }> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1;
  const reused = exists && options.reuse === true;
  if (exists && !reused) await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
  if (!reused) await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    reused,
    drop: async () => {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`DROP DATABASE ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}
