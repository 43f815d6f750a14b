/**
 * bench/crm: the CRM API's reads on a large table. Seeds `conversaciones_whatsapp` on the local
 * PostgreSQL with BENCH_MESSAGES (5,000,000) messages over BENCH_NUMBERS (100,000) WhatsApp numbers
 * spread over a year, then, against `charla serve` (compiled, as in production) over HTTP, one request
 * at a time, measures p50/p99 of: a number's latest 50 messages, page 1 of the listing, a deep page
 * by `page` and by `cursor`, a customer's messages, the inbox's conversation list and the statistics.
 *
 *   npm run bench:crm     (BENCH_MESSAGES, BENCH_NUMBERS, BENCH_SAMPLES (500), BENCH_KEEP=1 to keep
 *                          the seeded database and reuse it on the next run, BENCH_POSTGRES_URL)
 */
import pg from 'pg';
import { Pool } from 'undici';
import { encodeCursor } from '../src/api/messages.repository.js';
import { createApiToken } from '../src/auth/auth.repository.js';
import { parseDatabaseUrl } from '../src/config/database-url.js';
import { openDatabase } from '../src/db/database.js';
import { Migrator } from '../src/migrations/engine/migrator.js';
import { RevisionGraph } from '../src/migrations/engine/revision-graph.js';
import { revisions } from '../src/migrations/revisions/index.js';
import { benchDatabase, startCharla } from './lib/charla.js';
import { crmDatabaseName, customersOf, number, seed } from './lib/crm-seed.js';
import { machine } from './lib/machine.js';
import { percentile, round } from './lib/stats.js';

const ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 5_000_000);
const NUMBERS = Number(process.env.BENCH_NUMBERS ?? 100_000);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 500);
const KEEP = process.env.BENCH_KEEP === '1';
const CUSTOMERS = customersOf({ messages: MESSAGES, numbers: NUMBERS });

interface Measured {
  p50_ms: number;
  p99_ms: number;
  max_ms: number;
  samples: number;
}

async function measure(
  client: Pool,
  token: string,
  paths: () => string,
  samples: number,
  check: (body: unknown) => void,
): Promise<Measured> {
  // Warm-up: the first requests load plans and pages.
  for (let i = 0; i < Math.min(20, samples); i++) await request(client, token, paths());
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const path = paths();
    const started = performance.now();
    const body = await request(client, token, path);
    times.push(performance.now() - started);
    check(body);
  }
  times.sort((a, b) => a - b);
  return { p50_ms: round(percentile(times, 50), 2), p99_ms: round(percentile(times, 99), 2), max_ms: round(times.at(-1) ?? 0, 2), samples };
}

async function request(client: Pool, token: string, path: string): Promise<unknown> {
  const response = await client.request({ path, method: 'GET', headers: { authorization: `Bearer ${token}` } });
  const body = await response.body.json();
  if (response.statusCode !== 200) throw new Error(`${path}: ${response.statusCode} ${JSON.stringify(body)}`);
  return body;
}

async function main(): Promise<void> {
  const dbName = crmDatabaseName({ messages: MESSAGES, numbers: NUMBERS });
  const benchDb = await benchDatabase(ADMIN_URL, dbName, { reuse: KEEP });
  const reuse = benchDb.reused;
  const databaseUrl = benchDb.url;
  console.log(`machine: ${JSON.stringify(machine())}`);

  const database = await openDatabase(parseDatabaseUrl(databaseUrl));
  const seedClient = new pg.Client({ connectionString: databaseUrl });
  await seedClient.connect();
  if (reuse) console.log(`reusing ${dbName} (BENCH_KEEP=1)`);
  else {
    await new Migrator(new RevisionGraph(revisions), database).upgrade('head');
    console.log(`seeding ${MESSAGES} messages over ${NUMBERS} numbers…`);
    await seed(seedClient, { messages: MESSAGES, numbers: NUMBERS });
  }
  const counted = await seedClient.query<{ n: string }>('SELECT count(*) AS n FROM conversaciones_whatsapp');
  const { secret: token } = await createApiToken(database.kysely, database.support, { nombre: 'bench', rol: 'agente' });

  const server = await startCharla('serve', { DATABASE_URL: databaseUrl });
  const client = new Pool(new URL(server.url).origin, { connections: 1, pipelining: 1 });
  const api = '/api/v1/conversaciones-whatsapp';
  const random = (n: number): number => Math.floor(Math.random() * n);
  const perNumber = MESSAGES / NUMBERS;

  // The statistics cut is counted in the background on the first request; wait for it.
  await request(client, token, `${api}/estadisticas`);
  for (;;) {
    const cut = await seedClient.query('SELECT 1 FROM whatsapp_estadisticas');
    if (cut.rowCount === 1) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  // Cursors at random depths: random rows' ids.
  const cursors: string[] = [];
  for (let i = 0; i < SAMPLES + 20; i++) {
    const row = await seedClient.query<{ id: number }>('SELECT id FROM conversaciones_whatsapp WHERE id = $1', [1 + random(MESSAGES)]);
    const r = row.rows[0];
    if (r) cursors.push(encodeCursor({ id: r.id }));
  }
  let c = 0;
  const deepPage = Math.floor(MESSAGES / 2 / 50);

  const fifty = (body: unknown): void => {
    const rows = (body as { conversaciones: unknown[] }).conversaciones;
    if (rows.length !== 50) throw new Error(`expected 50 rows, got ${rows.length}`);
  };
  const results = {
    number_latest_50: await measure(client, token, () => `${api}/numero/${number(random(NUMBERS))}?per_page=50`, SAMPLES, fifty),
    listing_page_1: await measure(client, token, () => `${api}?per_page=50`, SAMPLES, fifty),
    listing_deep_cursor: await measure(
      client,
      token,
      () => `${api}?per_page=50&cursor=${cursors[c++ % cursors.length]}`,
      SAMPLES,
      () => {},
    ),
    listing_deep_page: await measure(client, token, () => `${api}?per_page=50&page=${deepPage}`, Math.min(SAMPLES, 20), fifty),
    customer_latest_50: await measure(client, token, () => `${api}/cliente/${1 + random(CUSTOMERS)}?per_page=50`, SAMPLES, fifty),
    statistics: await measure(
      client,
      token,
      () => `${api}/estadisticas`,
      SAMPLES,
      (body) => {
        if ((body as { total: number }).total !== Number(counted.rows[0]?.n)) throw new Error('statistics total differs from count(*)');
      },
    ),
    inbox_conversations_50: await measure(
      client,
      token,
      () => '/api/v1/conversaciones?limite=50',
      Math.min(SAMPLES, 100),
      () => {},
    ),
  };
  await client.close();
  server.stop();
  await server.exited;
  await seedClient.end();
  await database.close();
  if (!KEEP) await benchDb.drop();

  console.log(
    JSON.stringify(
      { messages: Number(counted.rows[0]?.n), numbers: NUMBERS, messages_per_number: perNumber, deep_page: deepPage, results },
      null,
      2,
    ),
  );
  const ok = Number(counted.rows[0]?.n) === MESSAGES;
  console.log(ok ? `check: ${MESSAGES} rows, statistics total equal to count(*)` : 'CHECK FAILED: row count differs');
  process.exitCode = ok ? 0 : 1;
}

await main();
