import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100;

/** CPU ticks (user + system) used so far by each process `select` picks. */
export function cpuTicks(select: (pid: number, command: string) => boolean): Map<number, number> {
  const ticks = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const command = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      if (!select(Number(entry), command)) continue;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks.set(Number(entry), Number(fields[11]) + Number(fields[12]));
    } catch {
      // The process ended while we read it.
    }
  }
  return ticks;
}

/** CPU seconds used between two samples by the processes alive at the end (exited ones are not counted). */
function usedBetween(before: Map<number, number>, after: Map<number, number>): number {
  let ticks = 0;
  for (const [pid, value] of after) ticks += value - (before.get(pid) ?? 0);
  return ticks / TICKS_PER_SECOND;
}

/** Where the machine's CPU went during `work`: load generator, server, PostgreSQL (in cores). */
export async function cpuSplit<T>(
  serverPid: number,
  work: () => Promise<T>,
  workerPids: readonly number[] = [],
): Promise<{ result: T; seconds: number; cpu: Record<string, number> }> {
  const selectors: Record<string, (pid: number, command: string) => boolean> = {
    loadGenerator: (pid) => pid === process.pid,
    server: (pid) => pid === serverPid,
    ...(workerPids.length > 0 ? { workers: (pid: number) => workerPids.includes(pid) } : {}),
    postgres: (_pid, command) => command === 'postgres',
  };
  const before = Object.fromEntries(Object.entries(selectors).map(([k, select]) => [k, cpuTicks(select)]));
  const started = performance.now();
  const result = await work();
  const seconds = (performance.now() - started) / 1000;
  const cpu = Object.fromEntries(
    Object.entries(selectors).map(([k, select]) => [
      k,
      Math.round((usedBetween(before[k] ?? new Map<number, number>(), cpuTicks(select)) / seconds) * 100) / 100,
    ]),
  );
  return { result, seconds, cpu };
}
