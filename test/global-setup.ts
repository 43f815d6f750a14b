import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { adminUrls, ENGINES, type Availability, type Engine } from './helpers/engines.js';
import { chromiumPresent, SKIPPED_WITHOUT_CHROMIUM } from './helpers/browser.js';
import { storedModelIsCurrent, writeShippedModel } from '../src/understanding/shipped-model.js';
import { checkCapturedLogs } from './helpers/log-leaks.js';
import { SHARED_FIXTURES_DIR, sharedFixturesPresent } from './helpers/shared-fixtures.js';

/**
 * Finds which databases this machine offers. PGlite always runs; PostgreSQL and MariaDB run when
 * reachable and are reported as skipped otherwise. CHARLA_TEST_DATABASES (e.g. "pglite,postgres,mysql",
 * set by CI) makes a missing one fail the run instead.
 */
export default async function setup(project: TestProject): Promise<(() => void) | undefined> {
  // Both projects of vitest.config.ts (and its root) run this file: the first does the work, for all.
  const done = globalThis as { charlaGlobalSetupDone?: Set<unknown> };
  done.charlaGlobalSetupDone ??= new Set();
  if (done.charlaGlobalSetupDone.has(project.vitest)) return undefined;
  done.charlaGlobalSetupDone.add(project.vitest);
  const availability: Availability = {
    pglite: null,
    postgres: await probe(() => probePostgres()),
    mysql: await probe(() => probeMysql()),
  };
  const required = (process.env.CHARLA_TEST_DATABASES ?? '').split(',').filter(Boolean) as Engine[];
  const missing = required.filter((engine) => availability[engine] !== null);
  if (missing.length > 0) {
    throw new Error(`CHARLA_TEST_DATABASES requires ${missing.map((e) => `${e} (${availability[e]})`).join(', ')}.`);
  }
  const running = ENGINES.filter((e) => availability[e] === null);
  const skipped = ENGINES.filter((e) => availability[e] !== null);
  process.stdout.write(`\nDatabases under test: ${running.join(', ')}\n`);
  if (skipped.length > 0) {
    process.stdout.write(`SKIPPED databases: ${skipped.map((e) => `${e} (${availability[e]})`).join('; ')}\n\n`);
  }
  if (!sharedFixturesPresent()) {
    console.warn(`SKIPPED public webhook fixtures: ${SHARED_FIXTURES_DIR} is absent (test/webhook/shared-fixtures.test.ts, test/fuzz)\n`);
  }
  if (!chromiumPresent() && process.env.CHARLA_REQUIRE_CHROMIUM === '1')
    throw new Error(`CHARLA_REQUIRE_CHROMIUM: ${SKIPPED_WITHOUT_CHROMIUM}`);
  if (!chromiumPresent()) console.warn(`SKIPPED browser tests: ${SKIPPED_WITHOUT_CHROMIUM}\n`);
  // The bot's understanding, trained once for the whole run beside its sources, as `npm run build`
  // does beside the compiled code: every test file then loads the weights instead of training.
  if (!storedModelIsCurrent()) writeShippedModel();
  project.provide('databaseAvailability', availability);
  const teardown = captureLogs(project);
  // What was provided to this project, to the root project instead, which every project reads.
  for (const [key, value] of Object.entries(project.getProvidedContext())) project.vitest.provide(key as never, value as never);
  return teardown;
}

/**
 * Everything Charla logs during the run, in-process or in the charla processes tests start, is
 * also written under a temporary folder (test/log-capture.setup.ts, CHARLA_LOG_CAPTURE); after
 * the run it must hold no phone number or e-mail (test/helpers/log-leaks.ts), or the run fails.
 */
function captureLogs(project: TestProject): () => void {
  const folder = mkdtempSync(path.join(tmpdir(), 'charla-logs-'));
  project.provide('logCaptureFolder', folder);
  return () => {
    const started = performance.now();
    let report: ReturnType<typeof checkCapturedLogs>;
    try {
      report = checkCapturedLogs(folder);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
    const checked = `${report.lines} lines logged by ${report.files} processes, checked in ${Math.round(performance.now() - started)} ms`;
    if (report.offending.length === 0) {
      process.stdout.write(`\nLogs: ${checked}: no phone number or e-mail.\n`);
      return;
    }
    // Vitest reports a teardown error without failing the run by itself.
    process.exitCode = 1;
    const shown = report.offending.slice(0, 20).join('\n');
    const more = report.offending.length > 20 ? `\n… and ${report.offending.length - 20} more` : '';
    throw new Error(
      `Logs leaked personal data (${checked}): ${report.offending.length} lines hold a phone number or an e-mail (shown redacted; file = process id):\n${shown}${more}`,
    );
  };
}

async function probe(check: () => Promise<void>): Promise<string | null> {
  try {
    await check();
    return null;
  } catch (error) {
    return `not reachable: ${(error as Error).message}`;
  }
}

async function probePostgres(): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrls.postgres, connectionTimeoutMillis: 2000 });
  await client.connect();
  await client.end();
}

async function probeMysql(): Promise<void> {
  const connection = await mysql.createConnection({ uri: adminUrls.mysql, connectTimeout: 2000 });
  await connection.end();
}
