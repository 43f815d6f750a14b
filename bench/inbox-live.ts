/**
 * bench/inbox-live: how long a message takes from the webhook to an agent's open stream. Signed
 * single-message deliveries at BENCH_RATE (200) per second for BENCH_SECONDS (20), each from its
 * own number, against Charla's HTTP app on this machine, while one `GET /api/v1/eventos` stream is
 * open; for each message, the time from sending the delivery to its `mensaje` event arriving on the
 * stream. Reports p50/p99/max (target: p99 < 250 ms), the webhook's acknowledgement times, the
 * live path alone (acknowledgement to event), and events missed or duplicated.
 *
 * The app runs in this process (built from the sources with buildApp, as the tests do), so the
 * load generator shares its event loop: figures are on the pessimistic side.
 *
 *   npx tsx bench/inbox-live.ts   (BENCH_DATABASE_URL: postgres://…, mysql://…, pglite:<dir> or
 *                                  pglite:memory; default a fresh database on BENCH_POSTGRES_URL)
 */
import { randomUUID } from 'node:crypto';
import { Pool } from 'undici';
import { createApiToken } from '../src/auth/auth.repository.js';
import { loadConfig } from '../src/config/config.js';
import { parseDatabaseUrl } from '../src/config/database-url.js';
import { openDatabase } from '../src/db/database.js';
import { buildApp } from '../src/http/app.js';
import { Migrator } from '../src/migrations/engine/migrator.js';
import { RevisionGraph } from '../src/migrations/engine/revision-graph.js';
import { revisions } from '../src/migrations/revisions/index.js';
import { sign } from '../src/webhook/signature.js';
import { benchDatabase } from './lib/charla.js';
import { machine } from './lib/machine.js';
import { percentile, round } from './lib/stats.js';

const ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const RATE = Number(process.env.BENCH_RATE ?? 200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const SECRET = 'bench-app-secret';
/** How long to wait for the last events after the last delivery. */
const DRAIN_MS = 3_000;

function delivery(from: string): string {
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
              contacts: [{ profile: { name: 'Cliente Bench' }, wa_id: from }],
              messages: [
                {
                  from,
                  id: `wamid.live-${randomUUID()}`,
                  timestamp: String(Math.floor(Date.now() / 1000)),
                  type: 'text',
                  text: { body: 'hola' },
                },
              ],
            },
          },
        ],
      },
    ],
  });
}

function summary(values: number[]): { p50_ms: number; p99_ms: number; max_ms: number; count: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    p50_ms: round(percentile(sorted, 50)),
    p99_ms: round(percentile(sorted, 99)),
    max_ms: round(sorted.at(-1) ?? Number.NaN),
    count: sorted.length,
  };
}

async function main(): Promise<void> {
  const own = process.env.BENCH_DATABASE_URL ? null : await benchDatabase(ADMIN_URL, `charla_bench_live_${process.pid}`);
  const databaseUrl = process.env.BENCH_DATABASE_URL ?? (own as { url: string }).url;
  const database = await openDatabase(parseDatabaseUrl(databaseUrl));
  await new Migrator(new RevisionGraph(revisions), database).upgrade('head');
  const { secret } = await createApiToken(database.kysely, database.support, { nombre: 'bench inbox-live', rol: 'agente' });
  const config = loadConfig({ DATABASE_URL: databaseUrl, WHATSAPP_APP_SECRET: SECRET, LOG_LEVEL: 'warn' });
  const app = await buildApp({ config, database, logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  console.log(`machine: ${JSON.stringify(machine())}`);
  console.log(`database: ${database.support.displayName}; ${RATE} messages/s for ${SECONDS} s`);

  // The agent's stream.
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const arrivedAt = new Map<string, number>();
  const ackedAt = new Map<string, number>();
  const seen = new Set<string>();
  let duplicates = 0;
  const abort = new AbortController();
  const stream = await fetch(`${origin}/api/v1/eventos`, { headers: { authorization: `Bearer ${secret}` }, signal: abort.signal });
  if (stream.status !== 200 || !stream.body) throw new Error(`GET /api/v1/eventos answered ${stream.status}`);
  let connected!: () => void;
  const ready = new Promise<void>((resolve) => (connected = resolve));
  const reading = (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of stream.body as AsyncIterable<Uint8Array>) {
        const now = performance.now();
        buffer += decoder.decode(chunk, { stream: true });
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          if (frame.startsWith('retry:')) connected();
          const data = /^data: (.*)$/m.exec(frame)?.[1];
          if (!frame.includes('event: mensaje') || !data) continue;
          const number = (JSON.parse(data) as { wa_number: string }).wa_number;
          const at = sentAt.get(number);
          if (at === undefined) continue;
          if (seen.has(number)) duplicates++;
          else {
            seen.add(number);
            latencies.push(now - at);
            arrivedAt.set(number, now);
          }
        }
      }
    } catch {
      // aborted at the end
    }
  })();
  await ready;

  // Meta's deliveries, paced.
  const client = new Pool(origin, { connections: 64, pipelining: 1 });
  const acks: number[] = [];
  let failures = 0;
  const total = RATE * SECONDS;
  const start = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const number = `58416${String(i).padStart(7, '0')}`;
    const body = delivery(number);
    const headers = { 'content-type': 'application/json', 'x-hub-signature-256': sign(body, SECRET) };
    const sent = performance.now();
    sentAt.set(number, sent);
    inFlight.push(
      client
        .request({ path: '/api/v1/whatsapp/webhook', method: 'POST', headers, body })
        .then(async (response) => {
          await response.body.dump();
          if (response.statusCode === 200) {
            acks.push(performance.now() - sent);
            ackedAt.set(number, performance.now());
          } else failures++;
        })
        .catch(() => {
          failures++;
        }),
    );
  }
  await Promise.all(inFlight);
  const elapsed = (performance.now() - start) / 1000;
  const drainUntil = performance.now() + DRAIN_MS;
  while (seen.size < total - failures && performance.now() < drainUntil) await new Promise((resolve) => setTimeout(resolve, 20));
  abort.abort();
  await reading;
  await client.close();
  await app.close();
  await database.close();
  await own?.drop();

  const result = {
    database: database.support.displayName,
    rate_per_s: round(total / elapsed),
    deliveries: total,
    failed_deliveries: failures,
    webhook_to_event: summary(latencies),
    webhook_ack: summary(acks),
    // The live path alone: from the webhook's 200 (the batch committed) to the event on the stream; negative when the event came first.
    ack_to_event: summary([...arrivedAt].flatMap(([n, at]) => (ackedAt.has(n) ? [at - (ackedAt.get(n) as number)] : []))),
    missed_events: total - failures - seen.size,
    duplicate_events: duplicates,
    target_p99_ms: 250,
  };
  console.log(JSON.stringify(result, null, 2));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
