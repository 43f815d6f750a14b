import { execSync } from 'node:child_process';
import os from 'node:os';

/** What the numbers were measured on, for docs/benchmarks.md. */
export function machine(): Record<string, string> {
  const run = (command: string): string => {
    try {
      return execSync(command, { stdio: ['ignore', 'pipe', 'ignore'] })
        .toString()
        .trim();
    } catch {
      return 'unknown';
    }
  };
  return {
    cpu: `${os.cpus()[0]?.model ?? 'unknown'} × ${os.cpus().length}`,
    memory: `${Math.round(os.totalmem() / 2 ** 30)} GiB`,
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    postgres: run("psql -h 127.0.0.1 -U postgres -d test -tAc 'show server_version'"),
  };
}
