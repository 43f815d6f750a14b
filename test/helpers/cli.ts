import { spawn } from 'node:child_process';
import path from 'node:path';
import { runCli } from '../../src/cli/main.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `charla …` in this process with DATABASE_URL set, capturing what it prints. */
export async function charla(databaseUrl: string, ...args: string[]): Promise<CliRun> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const previous = process.env.DATABASE_URL;
  process.env.DATABASE_URL = databaseUrl;
  try {
    const code = await runCli(args, {
      result: (line) => stdout.push(line),
      info: (line) => stderr.push(`INFO  [charla.migration] ${line}`),
      error: (line) => stderr.push(line),
    });
    return { code, stdout: stdout.join('\n'), stderr: stderr.join('\n') };
  } finally {
    if (previous === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = previous;
  }
}

const root = path.resolve(import.meta.dirname, '../..');

/** Runs `charla …` as a separate process from the TypeScript sources. */
export function charlaProcess(
  databaseUrl: string,
  args: string[],
  env: Record<string, string> = {},
  /** Run as another user (tests of permissions). */
  user: { uid?: number; gid?: number } = {},
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'src/cli/charla.ts'), ...args], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: databaseUrl, ...env },
      ...user,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
