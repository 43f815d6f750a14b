import type pg from 'pg';
import { round } from './stats.js';

/** The bench's WhatsApp business number (the other side of every seeded message). */
export const BUSINESS = '15550001234';

/** The i-th seeded WhatsApp number. */
export const number = (i: number): string => `58412${String(i).padStart(7, '0')}`;

/** bench/crm's database: MESSAGES messages over NUMBERS numbers, 60 % of them customers. */
export interface CrmSeed {
  messages: number;
  numbers: number;
}

/** The database's name for a seed, shared by bench/crm and bench/inbox (BENCH_KEEP=1 reuses it). */
export const crmDatabaseName = (seed: CrmSeed): string => `charla_bench_crm_${seed.messages}_${seed.numbers}`;

export const customersOf = (seed: CrmSeed): number => Math.floor(seed.numbers * 0.6);

/**
 * Set-based seeding, in chunks: message g belongs to number g % NUMBERS, alternates direction per
 * number, is spread evenly over the last 365 days in id order, and carries the number's customer
 * (60 % of numbers are customers).
 */
export async function seed(client: pg.Client, { messages: MESSAGES, numbers: NUMBERS }: CrmSeed): Promise<void> {
  const CUSTOMERS = customersOf({ messages: MESSAGES, numbers: NUMBERS });
  const started = performance.now();
  await client.query('SET synchronous_commit = off');
  await client.query(`
    INSERT INTO clientes (id, cedula, nombres, telefono, email, direccion, fecha_nacimiento, ocupacion)
    SELECT c, 'V-' || (10000000 + c), 'Cliente ' || c, '0412' || lpad(c::text, 7, '0'), '', '', '1980-01-01', ''
    FROM generate_series(1, ${CUSTOMERS}) AS c`);
  const chunk = 500_000;
  for (let from = 0; from < MESSAGES; from += chunk) {
    const to = Math.min(MESSAGES, from + chunk) - 1;
    await client.query(`
      INSERT INTO conversaciones_whatsapp
        (message_id, from_number, to_number, message_type, body, timestamp, direccion, cliente_id,
         procesado, respuesta_enviada, creado_en, actualizado_en)
      SELECT 'wamid.bench-' || g,
             CASE WHEN (g / ${NUMBERS}) % 2 = 0 THEN '58412' || lpad((g % ${NUMBERS})::text, 7, '0') ELSE '${BUSINESS}' END,
             CASE WHEN (g / ${NUMBERS}) % 2 = 0 THEN '${BUSINESS}' ELSE '58412' || lpad((g % ${NUMBERS})::text, 7, '0') END,
             'text', 'mensaje ' || g, t, CASE WHEN (g / ${NUMBERS}) % 2 = 0 THEN 'INBOUND' ELSE 'OUTBOUND' END,
             CASE WHEN g % ${NUMBERS} < ${CUSTOMERS} THEN g % ${NUMBERS} + 1 END,
             true, (g / ${NUMBERS}) % 2 = 1, t, t
      FROM generate_series(${from}, ${to}) AS g,
           LATERAL (SELECT (now() at time zone 'UTC') - interval '365 days' + (g::float8 / ${MESSAGES}) * interval '365 days' AS t) AS ts`);
    process.stdout.write(`  seeded ${to + 1} messages (${round((performance.now() - started) / 1000, 0)} s)\n`);
  }
  await client.query(`
    INSERT INTO whatsapp_conversaciones (wa_number, cliente_id, ultimo_entrante_en, leido_hasta_id)
    SELECT '58412' || lpad(n::text, 7, '0'), CASE WHEN n < ${CUSTOMERS} THEN n + 1 END,
           (now() at time zone 'UTC') - ((${NUMBERS} - n)::float8 / ${NUMBERS}) * interval '1 day', 0
    FROM generate_series(0, ${NUMBERS - 1}) AS n`);
  await client.query('VACUUM ANALYZE');
  console.log(`seeded in ${round((performance.now() - started) / 1000, 0)} s`);
}
