import mysql from 'mysql2/promise';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { adminUrls, ENGINES, type Availability, type Engine } from './helpers/engines.js';

/**
 * Finds which databases this machine offers. PGlite always runs; PostgreSQL and MariaDB run when
 * reachable and are reported as skipped otherwise. CHARLA_TEST_DATABASES (e.g. "pglite,postgres,mysql",
 * set by CI) makes a missing one fail the run instead.
 */
export default async function setup(project: TestProject): Promise<void> {
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
  project.provide('databaseAvailability', availability);
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
