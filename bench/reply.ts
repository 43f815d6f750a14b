/**
 * bench/reply: inbound message → reply handed to the Graph API, end to end, against `charla start`
 * (webhook, bot worker and sender in one process) on PostgreSQL on this machine. Known demo
 * customers write at a steady rate (open loop); a local server standing in for the Graph API
 * records when each reply arrives. A customer's n-th reply answers their n-th message (replies go
 * out in order), so each latency is `reply received − delivery scheduled`.
 *
 *   npm run bench:reply     (BENCH_RATE 500, BENCH_SECONDS 20, BENCH_CUSTOMERS 1000, BENCH_WORKERS 0, BENCH_POSTGRES_URL)
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { Pool } from 'undici';
import { todayIn } from '../src/config/config.js';
import { parseDatabaseUrl } from '../src/config/database-url.js';
import { syncCustomerPhones } from '../src/customers/customer-phone.repository.js';
import { openDatabase } from '../src/db/database.js';
import { loadDemoData, type DemoCustomer } from '../src/demo/demo-data.js';
import { Migrator } from '../src/migrations/engine/migrator.js';
import { RevisionGraph } from '../src/migrations/engine/revision-graph.js';
import { revisions } from '../src/migrations/revisions/index.js';
import { sign } from '../src/webhook/signature.js';
import { benchDatabase, startCharla } from './lib/charla.js';
import { cpuSplit } from './lib/cpu.js';
import { machine } from './lib/machine.js';
import { percentile, round } from './lib/stats.js';

const ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const RATE = Number(process.env.BENCH_RATE ?? 500);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const WARMUP_SECONDS = 3;
const WORKERS = Number(process.env.BENCH_WORKERS ?? 0);
const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 1000);
const SECRET = 'bench-app-secret';
/** What customers ask, in turn: each question reads the CRM (balance, instalments, payments, loans). */
const QUESTIONS = ['hola', 'cuanto debo', '¿cuándo es mi próxima cuota?', 'mis pagos', 'estado de mi préstamo', 'cuotas vencidas'];

interface Sent {
  scheduled: number;
  acknowledged: boolean;
}

function delivery(customer: DemoCustomer, index: number): string {
  return JSON.stringify({
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
              contacts: [{ profile: { name: customer.nombres }, wa_id: customer.whatsapp }],
              messages: [
                {
                  from: customer.whatsapp,
                  id: `wamid.bench-${randomUUID()}`,
                  timestamp: String(Math.floor(Date.now() / 1000)),
                  type: 'text',
                  text: { body: QUESTIONS[index % QUESTIONS.length] },
                },
              ],
            },
          },
        ],
      },
    ],
  });
}

/** The Graph API stand-in: records when each reply to each number arrived. */
async function startGraphStandIn(): Promise<{ url: string; arrivals: Map<string, number[]>; close: () => Promise<void> }> {
  const arrivals = new Map<string, number[]>();
  let next = 1;
  const server = createServer((request, response) => {
    void readBody(request).then((raw) => {
      const at = performance.now();
      const to = (JSON.parse(raw) as { to: string }).to;
      const list = arrivals.get(to) ?? [];
      list.push(at);
      arrivals.set(to, list);
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({ messaging_product: 'whatsapp', contacts: [{ wa_id: to }], messages: [{ id: `wamid.graph-${next++}` }] }),
      );
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    arrivals,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function main(): Promise<void> {
  const dbName = `charla_bench_reply_${process.pid}`;
  const benchDb = await benchDatabase(ADMIN_URL, dbName);
  const databaseUrl = benchDb.url;

  const database = await openDatabase(parseDatabaseUrl(databaseUrl));
  await new Migrator(new RevisionGraph(revisions), database).upgrade('head');
  const loaded = await loadDemoData(database.kysely, database.support, todayIn('America/Caracas'), CUSTOMERS);
  await syncCustomerPhones(database.kysely, '58');
  // Demo numbers are random; the rare number drawn twice identifies nobody, so it is left out.
  const counts = new Map<string, number>();
  for (const c of loaded ?? []) counts.set(c.whatsapp, (counts.get(c.whatsapp) ?? 0) + 1);
  const customers = (loaded ?? []).filter((c) => counts.get(c.whatsapp) === 1);
  console.log(`machine: ${JSON.stringify(machine())}`);
  console.log(`${customers.length} customers with loans, instalments and payments loaded`);

  const graph = await startGraphStandIn();
  // BENCH_WORKERS=n: the production layout, `charla serve` plus n `charla worker` processes.
  const env = {
    DATABASE_URL: databaseUrl,
    WHATSAPP_APP_SECRET: SECRET,
    WHATSAPP_ACCESS_TOKEN: 'bench-token',
    WHATSAPP_API_URL: graph.url,
    // Meta's default is 80 messages/s per number; 1,000/s is the raised tier this rate needs.
    WHATSAPP_OUTBOUND_PER_SECOND: '1000',
  };
  const server = await startCharla(WORKERS > 0 ? 'serve' : 'start', env);
  const workers = await Promise.all(Array.from({ length: WORKERS }, () => startCharla('worker', env)));
  const client = new Pool(new URL(server.url).origin, { connections: 64, pipelining: 1 });
  const sent = new Map<string, Sent[]>();
  let rejected = 0;

  const total = RATE * (WARMUP_SECONDS + SECONDS);
  // Bodies and signatures are made before the clock starts (the generator shares the two cores).
  const prepared = Array.from({ length: total }, (_, i) => {
    const customer = customers[i % customers.length] as DemoCustomer;
    const body = delivery(customer, Math.floor(i / customers.length));
    return { to: customer.whatsapp, body, signature: sign(body, SECRET) };
  });
  const inFlight: Promise<void>[] = [];
  const run = await cpuSplit(
    server.pid,
    async () => {
      const start = performance.now();
      for (let i = 0; i < total; i++) {
        const scheduled = start + (i * 1000) / RATE;
        const wait = scheduled - performance.now();
        if (wait > 1) await new Promise((r) => setTimeout(r, wait));
        const d = prepared[i] as (typeof prepared)[number];
        const record: Sent = { scheduled, acknowledged: false };
        const list = sent.get(d.to) ?? [];
        list.push(record);
        sent.set(d.to, list);
        inFlight.push(
          client
            .request({
              path: '/api/v1/whatsapp/webhook',
              method: 'POST',
              headers: { 'content-type': 'application/json', 'x-hub-signature-256': d.signature },
              body: d.body,
            })
            .then(async (response) => {
              await response.body.dump();
              if (response.statusCode === 200) record.acknowledged = true;
              else rejected++;
            }),
        );
      }
      await Promise.all(inFlight);
      // Let the last replies arrive (at most 30 s).
      const deadline = performance.now() + 30_000;
      while (performance.now() < deadline && repliesReceived(graph.arrivals) < total - rejected)
        await new Promise((r) => setTimeout(r, 50));
      return start;
    },
    workers.map((w) => w.pid),
  );
  const start = run.result;

  const latencies: number[] = [];
  let missing = 0;
  let extra = 0;
  for (const [to, messages] of sent) {
    const replies = graph.arrivals.get(to) ?? [];
    if (replies.length > messages.length) extra += replies.length - messages.length;
    messages.forEach((m, n) => {
      const reply = replies[n];
      if (reply === undefined) missing++;
      else if (m.scheduled >= start + WARMUP_SECONDS * 1000) latencies.push(reply - m.scheduled);
    });
  }
  latencies.sort((a, b) => a - b);

  await client.close();
  for (const child of [server, ...workers]) child.stop();
  await Promise.all([server, ...workers].map((child) => child.exited));
  await graph.close();
  const rows = await sql<{ inbound: string; replied: string; sent: string }>`
    select count(*) filter (where direccion = 'INBOUND') as inbound,
           count(*) filter (where direccion = 'INBOUND' and respuesta_id is not null) as replied,
           count(*) filter (where direccion = 'OUTBOUND' and respuesta_enviada) as sent
    from conversaciones_whatsapp`.execute(database.kysely);
  // Where PostgreSQL's work went: transactions and table scans per inbound message.
  const stats = await sql<{ xact_commit: string }>`select xact_commit from pg_stat_database where datname = ${dbName}`.execute(
    database.kysely,
  );
  const scans = await sql<{ relname: string; seq_scan: string; seq_tup_read: string; idx_scan: string; n_tup_upd: string }>`
    select relname, seq_scan, seq_tup_read, idx_scan, n_tup_upd from pg_stat_user_tables
    order by seq_tup_read desc limit 6`.execute(database.kysely);
  await database.close();
  await benchDb.drop();

  const counted = rows.rows[0];
  const result = {
    rate_per_s: RATE,
    layout: WORKERS > 0 ? `charla serve + ${WORKERS} × charla worker` : 'charla start (one process)',
    measured_seconds: SECONDS,
    customers: customers.length,
    inbound_to_graph_ms: {
      p50: round(percentile(latencies, 50), 1),
      p99: round(percentile(latencies, 99), 1),
      max: round(latencies.at(-1) ?? 0, 1),
      samples: latencies.length,
    },
    cpu_cores: run.cpu,
    postgres: {
      commits_per_message: round(Number(stats.rows[0]?.xact_commit) / total, 1),
      tables: Object.fromEntries(
        scans.rows.map((r) => [r.relname, `seq ${r.seq_scan} (${r.seq_tup_read} rows), idx ${r.idx_scan}, upd ${r.n_tup_upd}`]),
      ),
    },
    check: {
      deliveries: total,
      rejected,
      replies_missing: missing,
      replies_beyond_messages: extra,
      inbound_rows: Number(counted?.inbound),
      inbound_rows_answered: Number(counted?.replied),
      outbound_rows_sent: Number(counted?.sent),
    },
  };
  console.log(JSON.stringify(result, null, 2));
  const ok = rejected === 0 && missing === 0 && extra === 0 && Number(counted?.replied) === total;
  console.log(ok ? 'check: every message answered once, every reply handed to Graph' : 'CHECK FAILED: see check above');
  process.exitCode = ok ? 0 : 1;
}

function repliesReceived(arrivals: Map<string, number[]>): number {
  let n = 0;
  for (const list of arrivals.values()) n += list.length;
  return n;
}

async function readBody(request: IncomingMessage): Promise<string> {
  let raw = '';
  for await (const chunk of request) raw += (chunk as Buffer).toString();
  return raw;
}

await main();
