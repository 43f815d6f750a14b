/**
 * bench/startup: how long `charla start` (compiled, as `npm start` runs it) takes from launch until
 * it says it is listening — the port open, the workers running, the bot's understanding ready
 * (issue 13: under 3 s) — and the memory the process then holds. Each run launches a fresh
 * process: on a new embedded database (PGlite, migrated at start), then on the same one again; and
 * once with the build's weights set aside, when the process trains the understanding itself.
 *
 *   npm run bench:startup     (BENCH_RUNS 5)
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startCharla } from './lib/charla.js';
import { machine } from './lib/machine.js';
import { percentile, round } from './lib/stats.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
/** The build's weights (src/understanding/shipped-model.ts), beside the compiled code. */
const SHIPPED_MODEL_FILE = path.resolve(import.meta.dirname, '../dist/understanding/model.json');

/** Launches `charla start` on `dataDir`, returns ms until it listens and its resident memory then, and stops it. */
async function launch(dataDir: string): Promise<{ ms: number; rssMb: number }> {
  const started = performance.now();
  const charla = await startCharla('start', { DATABASE_URL: `pglite:${dataDir}`, WHATSAPP_APP_SECRET: 'bench-startup' });
  const ms = performance.now() - started;
  const rssKb = Number(
    execFileSync('ps', ['-o', 'rss=', '-p', String(charla.pid)])
      .toString()
      .trim(),
  );
  charla.stop();
  await charla.exited;
  return { ms, rssMb: rssKb / 1024 };
}

const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
const summary = (runs: { ms: number; rssMb: number }[]) => ({
  runs: runs.length,
  to_listening_ms: { p50: round(percentile(sorted(runs.map((r) => r.ms)), 50)), max: round(Math.max(...runs.map((r) => r.ms))) },
  rss_mb: { p50: round(percentile(sorted(runs.map((r) => r.rssMb)), 50)), max: round(Math.max(...runs.map((r) => r.rssMb))) },
});

console.log(`machine: ${JSON.stringify(machine())}`);
const fresh: { ms: number; rssMb: number }[] = [];
const again: { ms: number; rssMb: number }[] = [];
for (let run = 0; run < RUNS; run++) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'charla-startup-'));
  try {
    fresh.push(await launch(dataDir));
    again.push(await launch(dataDir));
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
// Without the build's weights (a build that skipped scripts/train-model.mjs): the process trains.
const setAside = `${SHIPPED_MODEL_FILE}.aside`;
const untrained: { ms: number; rssMb: number }[] = [];
if (existsSync(SHIPPED_MODEL_FILE)) renameSync(SHIPPED_MODEL_FILE, setAside);
try {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'charla-startup-'));
  try {
    await launch(dataDir);
    untrained.push(await launch(dataDir));
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
} finally {
  if (existsSync(setAside)) renameSync(setAside, SHIPPED_MODEL_FILE);
}
console.log(
  JSON.stringify(
    { new_database: summary(fresh), existing_database: summary(again), existing_database_training_at_start: summary(untrained) },
    null,
    2,
  ),
);
