import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, describe, inject } from 'vitest';
import { parseDatabaseUrl, type DatabaseUrl } from '../../src/config/database-url.js';
import { openDatabase, type Database } from '../../src/db/database.js';
import { adminUrls, ENGINES, type Engine } from './engines.js';

/** A database of its own for one test: created empty, dropped when the file's tests end. */
export interface TestDatabase {
  engine: Engine;
  /** The DATABASE_URL text, for the CLI and child processes. */
  urlText: string;
  url: DatabaseUrl;
  open: () => Promise<Database>;
}

export interface EngineContext {
  engine: Engine;
  /**
   * A new, empty database. PGlite databases live in a temporary folder when `onDisk` is set
   * (needed when the CLI or another process opens it), in memory otherwise.
   */
  fresh: (options?: { onDisk?: boolean }) => Promise<TestDatabase>;
}

/**
 * Runs `suite` once per engine: PGlite always, PostgreSQL and MariaDB when the machine has them
 * (global-setup reports the skipped ones). Every database made by `fresh()` is dropped afterwards.
 */
export function describeEachDatabase(name: string, suite: (context: EngineContext) => void, engines: readonly Engine[] = ENGINES): void {
  const availability = inject('databaseAvailability');
  for (const engine of engines) {
    describe.skipIf(availability[engine] !== null)(`${name} [${engine}]`, () => {
      const cleanups: (() => Promise<void>)[] = [];
      afterAll(async () => {
        for (const cleanup of cleanups.reverse()) await cleanup();
      });
      suite({
        engine,
        fresh: async (options = {}) => {
          const { urlText, cleanup } = await createDatabase(engine, options.onDisk ?? false);
          cleanups.push(cleanup);
          const url = parseDatabaseUrl(urlText);
          return { engine, urlText, url, open: () => openDatabase(url, { poolSize: 3 }) };
        },
      });
    });
  }
}

async function createDatabase(engine: Engine, onDisk: boolean): Promise<{ urlText: string; cleanup: () => Promise<void> }> {
  const name = `charla_t_${process.pid}_${randomBytes(4).toString('hex')}`;
  switch (engine) {
    case 'pglite': {
      if (!onDisk) return { urlText: 'pglite:memory', cleanup: async () => {} };
      const folder = await mkdtemp(path.join(tmpdir(), 'charla-pglite-'));
      return { urlText: `pglite:${path.join(folder, 'db')}`, cleanup: () => rm(folder, { recursive: true, force: true }) };
    }
    case 'postgres': {
      await withPostgres((client) => client.query(`CREATE DATABASE ${name}`));
      const url = new URL(adminUrls.postgres);
      url.pathname = `/${name}`;
      return {
        urlText: url.toString(),
        cleanup: () => withPostgres((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)),
      };
    }
    case 'mysql': {
      await withMysql((connection) => connection.query(`CREATE DATABASE ${name} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`));
      const url = new URL(adminUrls.mysql);
      url.pathname = `/${name}`;
      return { urlText: url.toString(), cleanup: () => withMysql((connection) => connection.query(`DROP DATABASE IF EXISTS ${name}`)) };
    }
  }
}

async function withPostgres(work: (client: pg.Client) => Promise<unknown>): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrls.postgres });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}

async function withMysql(work: (connection: mysql.Connection) => Promise<unknown>): Promise<void> {
  const connection = await mysql.createConnection({ uri: adminUrls.mysql });
  try {
    await work(connection);
  } finally {
    await connection.end();
  }
}
