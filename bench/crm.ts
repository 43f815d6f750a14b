/**
 * bench/crm: the CRM API's reads on a large table. Seeds `conversaciones_whatsapp` on the local
 * PostgreSQL with BENCH_MESSAGES (5,000,000) messages over BENCH_NUMBERS (100,000) WhatsApp numbers
 * spread over a year, then, against `charla serve` (compiled, as in production) over HTTP, one request
 * at a time, measures p50/p99 of: a number's latest 50 messages, page 1 of the listing, a deep page
 * by `page` and by `cursor`, a customer's messages, the inbox's conversation list, the statistics,
 * and the listing filtered by part of a number as the original filter box sends it (`from_number`:
 * a rare and a common 4-digit fragment, `5`, `58`, a 3-digit one, a random keystroke of a number).
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
import { BUSINESS, crmDatabaseName, customersOf, number, seed } from './lib/crm-seed.js';
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
  if (reuse) {
    console.log(`reusing ${dbName} (BENCH_KEEP=1); upgrading it to head`);
    const started = performance.now();
    await new Migrator(new RevisionGraph(revisions), database).upgrade('head');
    console.log(`upgraded in ${round((performance.now() - started) / 1000, 1)} s`);
  } else {
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
  // The sender numbers' cut is made in the background on the first filtered request; wait for it.
  const cutStarted = performance.now();
  await request(client, token, `${api}?from_number=5841&per_page=1`);
  for (;;) {
    const cut = await seedClient.query("SELECT 1 FROM whatsapp_cortes WHERE clave = 'remitentes' AND calculado_en IS NOT NULL");
    if (cut.rowCount === 1) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  const sendersCutSeconds = round((performance.now() - cutStarted) / 1000, 1);
  console.log(`sender numbers' cut made in ${sendersCutSeconds} s`);
  // Rare fragments: digits that are not in the shared prefix 5841200 nor in the business number,
  // and do not start with 200 (which would continue the prefix), so they match only the numbers
  // with them among their last five digits: four digits about 20 of 100,000 numbers (25 inbound
  // messages each), three digits about 300.
  const shared = ['5841200', BUSINESS];
  const fragments = (from: number, to: number): string[] =>
    Array.from({ length: to - from + 1 }, (_, i) => String(from + i)).filter(
      (f) => !f.startsWith('200') && !shared.some((s) => s.includes(f)),
    );
  const rare = fragments(1000, 9999);
  const rare3 = fragments(100, 999);
  const rareExpected = new Map<string, number>();
  for (const fragment of rare.slice(0, 5)) {
    const n = await seedClient.query<{ n: string }>('SELECT count(*) AS n FROM conversaciones_whatsapp WHERE from_number LIKE $1', [
      `%${fragment}%`,
    ]);
    rareExpected.set(fragment, Number(n.rows[0]?.n));
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
  /** `total` must be the count of rows containing the digits, checked outside the timing. */
  const totalIs =
    (expected: (path: string) => number | undefined) =>
    (path: string) =>
    (body: unknown): void => {
      const want = expected(path);
      const total = (body as { paginacion: { total: number } }).paginacion.total;
      if (want !== undefined && total !== want) throw new Error(`${path}: total ${total}, expected ${want}`);
    };
  const partialNumberFilter = async () => {
    const partial = (text: string, perPage = 50) => `${api}?from_number=${encodeURIComponent(text)}&per_page=${perPage}`;
    const fragmentOf = (path: string) => decodeURIComponent(/from_number=([^&]+)/.exec(path)?.[1] ?? '');
    const inbound = MESSAGES / 2;
    const rareTotal = totalIs((path) => rareExpected.get(fragmentOf(path)));
    const measurePartial = (paths: () => string, samples: number, check: (path: string) => (body: unknown) => void) => {
      let last = '';
      return measure(
        client,
        token,
        () => (last = paths()),
        samples,
        (body) => check(last)(body),
      );
    };
    const pick = <T>(list: readonly T[]): T => list[random(list.length)] as T;
    // The first request of a fragment matching many numbers sums their messages in the cut; the
    // process keeps that part until the cut moves (at most once a minute). First requests only:
    // the short prefixes of the shared 5841200 and 200d (10,000 numbers each), in each direction.
    const common = ['5', '58', '584', '5841', '8412', '4120', '1200', ...Array.from({ length: 10 }, (_, d) => `200${d}`)];
    const firstTimes: number[] = [];
    for (const direccion of ['', '&direccion=INBOUND', '&direccion=OUTBOUND'])
      for (const fragment of common) {
        if (fragment === '5841' && direccion === '') continue; // asked already, while waiting for the cut
        const started = performance.now();
        await request(client, token, `${partial(fragment)}${direccion}`);
        firstTimes.push(performance.now() - started);
      }
    firstTimes.sort((a, b) => a - b);
    const firstRequests = {
      p50_ms: round(percentile(firstTimes, 50), 2),
      p99_ms: round(percentile(firstTimes, 99), 2),
      max_ms: round(firstTimes.at(-1) ?? 0, 2),
      samples: firstTimes.length,
    };
    return {
      partial_common_first_request: firstRequests,
      partial_rare_4_digits: await measurePartial(() => partial(pick(rare)), SAMPLES, rareTotal),
      partial_common_4_digits_5841: await measurePartial(
        () => partial('5841'),
        SAMPLES,
        totalIs(() => inbound),
      ),
      partial_1_digit_5: await measurePartial(
        () => partial('5'),
        SAMPLES,
        totalIs(() => MESSAGES),
      ),
      partial_2_digits_58: await measurePartial(
        () => partial('58'),
        SAMPLES,
        totalIs(() => inbound),
      ),
      partial_3_digits: await measurePartial(
        () => partial(pick(rare3)),
        SAMPLES,
        () => () => {},
      ),
      partial_rare_page_2: await measurePartial(
        () => `${partial(pick(rare))}&page=2`,
        SAMPLES,
        () => () => {},
      ),
      partial_keystroke: await measurePartial(
        () => {
          const whole = number(random(NUMBERS));
          return partial(whole.slice(0, 1 + random(whole.length)));
        },
        SAMPLES,
        () => () => {},
      ),
    };
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
    ...(await partialNumberFilter()),
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
      {
        messages: Number(counted.rows[0]?.n),
        numbers: NUMBERS,
        messages_per_number: perNumber,
        deep_page: deepPage,
        senders_cut_seconds: sendersCutSeconds,
        rare_fragments: { four_digits: rare.length, three_digits: rare3.length, rows_of_first_five: Object.fromEntries(rareExpected) },
        results,
      },
      null,
      2,
    ),
  );
  const ok = Number(counted.rows[0]?.n) === MESSAGES;
  console.log(ok ? `check: ${MESSAGES} rows, statistics total equal to count(*)` : 'CHECK FAILED: row count differs');
  process.exitCode = ok ? 0 : 1;
}

await main();
