/**
 * bench/ingest: signed single-message webhook deliveries over loopback against `charla serve` on
 * PostgreSQL on this machine. Reports the sustained delivery rate, ack latency at 1,000/s, the
 * server's peak RSS, and the database's own insert rate measured in the same run; then counts
 * rows to check that nothing was lost or duplicated.
 *
 *   npm run bench:ingest            (BENCH_SECONDS, BENCH_CONCURRENCY, BENCH_POSTGRES_URL to tune)
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { sql, type Kysely } from 'kysely';
import { Pool } from 'undici';
import { parseDatabaseUrl } from '../src/config/database-url.js';
import { openDatabase } from '../src/db/database.js';
import type { Tables } from '../src/db/tables.js';
import { Migrator } from '../src/migrations/engine/migrator.js';
import { RevisionGraph } from '../src/migrations/engine/revision-graph.js';
import { revisions } from '../src/migrations/revisions/index.js';
import { sign } from '../src/webhook/signature.js';
import { benchDatabase, startCharla } from './lib/charla.js';
import { cpuSplit } from './lib/cpu.js';
import { machine } from './lib/machine.js';
import { percentile, round } from './lib/stats.js';

const ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 256);
const SECRET = 'bench-app-secret';

function delivery(index: number): { id: string; body: string; signature: string } {
  const id = `wamid.bench-${randomUUID()}`;
  const from = `58412${String(index % 10_000_000).padStart(7, '0')}`;
  const body = JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550001234', phone_number_id: '106540352242922' },
              contacts: [{ profile: { name: 'Cliente Bench' }, wa_id: from }],
              messages: [
                {
                  from,
                  id,
                  timestamp: String(Math.floor(Date.now() / 1000)),
                  type: 'text',
                  text: { body: `hola, ¿cuánto debo? #${index}` },
                },
              ],
            },
          },
        ],
      },
    ],
  });
  return { id, body, signature: sign(body, SECRET) };
}

async function main(): Promise<void> {
  const benchDb = await benchDatabase(ADMIN_URL, `charla_bench_${process.pid}`);
  const databaseUrl = benchDb.url;

  const database = await openDatabase(parseDatabaseUrl(databaseUrl));
  await new Migrator(new RevisionGraph(revisions), database).upgrade('head');

  console.log(`machine: ${JSON.stringify(machine())}`);
  const rawSingle = await rawInsertRate(database.kysely, 'single-row autocommit, 16 connections', 1);
  const rawBatched = await rawInsertRate(database.kysely, '100-row inserts, 4 connections', 100);

  const server = await startCharla('serve', { DATABASE_URL: databaseUrl, WHATSAPP_APP_SECRET: SECRET });
  const origin = new URL(server.url);
  const client = new Pool(origin.origin, { connections: CONCURRENCY, pipelining: 1 });
  const acknowledged: string[] = [];
  let failures = 0;
  // Bodies and signatures are made before the clock starts: the load generator shares the
  // machine's two cores with the server and PostgreSQL, and its own work should not count.
  const prepared = Array.from({ length: Math.ceil(SECONDS * 3 * 12_000) }, (_, i) => delivery(i));
  let index = 0;
  const post = async (): Promise<number> => {
    const d = prepared[index] ?? delivery(index);
    index++;
    const started = performance.now();
    const response = await client.request({
      path: '/api/v1/whatsapp/webhook',
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': d.signature },
      body: d.body,
    });
    await response.body.dump();
    if (response.statusCode === 200) acknowledged.push(d.id);
    else failures++;
    return performance.now() - started;
  };

  // Warm-up, then the maximum sustained rate with CONCURRENCY deliveries in flight.
  await runClosedLoop(post, CONCURRENCY, 2);
  const before = acknowledged.length;
  const throughput = await cpuSplit(server.pid, () => runClosedLoop(post, CONCURRENCY, SECONDS));
  const sustained = (acknowledged.length - before) / throughput.seconds;

  // Open loop at 1,000 deliveries/s: latency from the scheduled send time (no coordinated omission).
  const latencies = await runOpenLoop(post, 1000, SECONDS);
  latencies.sort((a, b) => a - b);

  const peakRssMb = readPeakRss(server.pid);
  await client.close();
  server.stop();

  const counted = await sql<{ total: string; distinct_ids: string }>`
    select count(*) as total, count(distinct message_id) as distinct_ids from conversaciones_whatsapp`.execute(database.kysely);
  const total = Number(counted.rows[0]?.total);
  const distinct = Number(counted.rows[0]?.distinct_ids);
  const found = Number(
    (
      await sql<{ n: string }>`select count(*) as n from conversaciones_whatsapp where message_id = any(${acknowledged})`.execute(
        database.kysely,
      )
    ).rows[0]?.n,
  );
  await database.close();
  await benchDb.drop();

  const result = {
    sustained_deliveries_per_s: round(sustained, 0),
    concurrency: CONCURRENCY,
    cpu_cores_used_during_throughput: throughput.cpu,
    at_1000_per_s: {
      p50_ms: round(percentile(latencies, 50), 2),
      p99_ms: round(percentile(latencies, 99), 2),
      max_ms: round(latencies.at(-1) ?? 0, 2),
    },
    peak_rss_mb: peakRssMb,
    raw_insert_rows_per_s: { single_row_autocommit: rawSingle, batched_100: rawBatched },
    check: {
      acknowledged: acknowledged.length,
      rejected: failures,
      rows: total,
      distinct_message_ids: distinct,
      acknowledged_found: found,
    },
  };
  console.log(JSON.stringify(result, null, 2));
  const ok = found === acknowledged.length && distinct === total && total === acknowledged.length;
  console.log(ok ? 'check: no message lost, none duplicated' : 'CHECK FAILED: rows do not match acknowledged deliveries');
  process.exitCode = ok ? 0 : 1;
}

async function runClosedLoop(post: () => Promise<number>, concurrency: number, seconds: number): Promise<void> {
  const end = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) await post();
    }),
  );
}

async function runOpenLoop(post: () => Promise<number>, perSecond: number, seconds: number): Promise<number[]> {
  const latencies: number[] = [];
  const inFlight: Promise<void>[] = [];
  const start = performance.now();
  const total = perSecond * seconds;
  for (let i = 0; i < total; i++) {
    const scheduled = start + (i * 1000) / perSecond;
    const wait = scheduled - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    inFlight.push(
      post().then(() => {
        latencies.push(performance.now() - scheduled);
      }),
    );
  }
  await Promise.all(inFlight);
  return latencies;
}

async function rawInsertRate(db: Kysely<Tables>, label: string, rowsPerInsert: number): Promise<number> {
  await sql`create table bench_raw (like conversaciones_whatsapp including all)`.execute(db);
  const connections = rowsPerInsert === 1 ? 16 : 4;
  let rows = 0;
  const end = performance.now() + 5000;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < end) {
        const values = Array.from({ length: rowsPerInsert }, () => ({
          message_id: `wamid.raw-${randomUUID()}`,
          from_number: '584121234567',
          to_number: '15550001234',
          message_type: 'text',
          body: 'hola, ¿cuánto debo?',
          timestamp: new Date(),
          direccion: 'INBOUND' as const,
        }));
        await db
          .insertInto('bench_raw' as 'conversaciones_whatsapp')
          .values(values)
          .execute();
        rows += rowsPerInsert;
      }
    }),
  );
  const rate = round(rows / ((performance.now() - start) / 1000), 0);
  await sql`drop table bench_raw`.execute(db);
  console.log(`raw insert rate (${label}): ${rate} rows/s`);
  return rate;
}

/** VmHWM: the peak resident set size of the process, in MB. */
function readPeakRss(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
  return round(kb / 1024, 0);
}

await main();
