/**
 * Property-based tests of the webhook's rule (docs/webhook-hardening.md): real payloads, mutated
 * the way careless or hostile senders would, on every database. Bounded for CI by a fixed seed and
 * CHARLA_FUZZ_RUNS cases per property (default 300); raise it for a longer run, e.g.
 * `CHARLA_FUZZ_RUNS=3000 npx vitest run test/fuzz`. CHARLA_FUZZ_SEED changes the seed.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { beforeAll, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.js';
import { bearer } from '../helpers/auth.js';
import { message, notification, status } from '../helpers/payloads.js';
import { orphanDetails } from '../helpers/rows.js';
import { describeEachDatabase } from '../helpers/test-database.js';
import { SHARED_FIXTURES_NAME, sharedFixtures, sharedFixturesPresent } from '../helpers/shared-fixtures.js';
import { deliver, useMigratedApp } from '../helpers/webhook.js';

const RUNS = Number(process.env.CHARLA_FUZZ_RUNS ?? 300);
const SEED = Number(process.env.CHARLA_FUZZ_SEED ?? 20261125);
/** A case takes a few tens of milliseconds; the test's time limit grows with the number of cases. */
const TIMEOUT = 60_000 + RUNS * 500;

type Json = Record<string, unknown>;

/** Values that break naive code: NULs, unpaired surrogates, huge or odd numbers, wrong types. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ maxLength: 30 }).map((s) => `${s}\u0000${s}`),
  fc.constantFrom('\uD800', 'a\uDC00b', '\uDBFF\uDBFF', '😀'.slice(0, 1), '\u0000', '', ' ', '\uFEFF'),
  fc.constantFrom('99999999999999999999', '253402300800', '-1', '1e10', '0', 'NaN', '1732500000.5', '０１２３'),
  fc.oneof(fc.integer(), fc.double(), fc.bigInt().map(String), fc.constant(Number.MAX_SAFE_INTEGER)),
  fc.constantFrom(null, true, false),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
  fc.integer({ min: 1, max: 70_000 }).map((n) => 'x'.repeat(n)),
  fc.integer({ min: 100, max: 300 }).map((n) => 'w'.repeat(n)),
);

const MESSAGE_PATHS = [
  ['id'],
  ['from'],
  ['timestamp'],
  ['type'],
  ['text'],
  ['text', 'body'],
  ['context'],
  ['context', 'id'],
  ['image'],
  ['image', 'caption'],
  ['image', 'id'],
  ['reaction', 'message_id'],
  ['interactive', 'button_reply', 'title'],
  ['errors'],
] as const;
const STATUS_PATHS = [['id'], ['status'], ['timestamp'], ['recipient_id'], ['errors']] as const;

type Mutation = { path: readonly string[]; value: unknown } | { path: readonly string[]; remove: true };
const mutation = (paths: readonly (readonly string[])[]): fc.Arbitrary<Mutation> =>
  fc.oneof(
    fc.record({ path: fc.constantFrom(...paths), value: hostileValue }),
    fc.record({ path: fc.constantFrom(...paths), remove: fc.constant(true as const) }),
  );

function apply(item: Json, change: Mutation): void {
  let target: Json = item;
  for (const key of change.path.slice(0, -1)) {
    if (typeof target[key] !== 'object' || target[key] === null) target[key] = {};
    target = target[key] as Json;
  }
  const last = change.path.at(-1) as string;
  if ('remove' in change) delete target[last];
  else target[last] = change.value;
}

/** A bad item built from a real one: a message or status with 1–3 mutations. */
const badItem = fc.oneof(
  fc.record({
    kind: fc.constant('message' as const),
    base: fc.constantFrom('text', 'image', 'reaction', 'button'),
    mutations: fc.array(mutation(MESSAGE_PATHS), { minLength: 1, maxLength: 3 }),
  }),
  fc.record({ kind: fc.constant('status' as const), mutations: fc.array(mutation(STATUS_PATHS), { minLength: 1, maxLength: 3 }) }),
  fc.record({ kind: fc.constant('raw' as const), value: hostileValue }),
);

const FROM = '584125550000';

function baseMessage(base: string): Json {
  const builders: Record<string, () => Json> = {
    text: () => message.text('hola'),
    image: () => message.image('comprobante'),
    reaction: () => message.reaction('wamid.target', '👍'),
    button: () => message.buttonReply('saldo', 'Mi saldo'),
  };
  return { from: FROM, id: `wamid.fuzz-${randomUUID()}`, timestamp: String(Math.floor(Date.now() / 1000)), ...builders[base]!() };
}

describeEachDatabase('webhook fuzz: no 5xx, good items stored once, nothing half-stored, reads still work', ({ fresh }) => {
  const context = useMigratedApp(fresh);
  let database: Database;
  let app: FastifyInstance;
  let admin: { authorization: string };
  beforeAll(async () => {
    database = context.database();
    app = context.app();
    admin = await bearer(database, 'admin');
  });

  const countOf = async (ids: string[]): Promise<Map<string, number>> => {
    const rows = await database.kysely
      .selectFrom('conversaciones_whatsapp')
      .select(['message_id', (eb) => eb.fn.countAll<string>().as('n')])
      .where('message_id', 'in', ids)
      .groupBy('message_id')
      .execute();
    return new Map(rows.map((r) => [r.message_id as string, Number(r.n)]));
  };
  const orphans = () => orphanDetails(database);
  const READS = [
    '/api/v1/conversaciones-whatsapp',
    `/api/v1/conversaciones-whatsapp/numero/${FROM}`,
    '/api/v1/conversaciones-whatsapp/estadisticas',
    '/api/v1/conversaciones',
    '/api/v1/cuarentena',
  ];

  it(
    'mutated items beside good ones',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(badItem, { minLength: 1, maxLength: 4 }),
          fc.integer({ min: 1, max: 3 }),
          fc.boolean(),
          async (bads, goodCount, duplicate) => {
            const goods = Array.from({ length: goodCount }, () => baseMessage('text'));
            const payload = notification([]) as unknown as { entry: { changes: { value: Json }[] }[] };
            const value = payload.entry[0]!.changes[0]!.value;
            value.contacts = [{ wa_id: FROM, profile: { name: 'Fuzz' } }];
            const messages: unknown[] = [...goods];
            const statuses: unknown[] = [];
            for (const bad of bads) {
              if (bad.kind === 'raw') messages.push(bad.value);
              else if (bad.kind === 'message') {
                const item = baseMessage(bad.base);
                for (const change of bad.mutations) apply(item, change);
                messages.push(item);
              } else {
                const item = status(`wamid.fuzz-status-${randomUUID()}`, 'delivered', Math.floor(Date.now() / 1000)) as Json;
                for (const change of bad.mutations) apply(item, change);
                statuses.push(item);
              }
            }
            value.messages = messages;
            value.statuses = statuses;
            const response = await deliver(app, payload);
            // Twice when asked: a redelivery must store nothing new.
            if (duplicate) expect((await deliver(app, payload)).statusCode).toBe(response.statusCode);
            expect([200, 413]).toContain(response.statusCode);
            if (response.statusCode === 200) {
              const counts = await countOf(goods.map((g) => g.id as string));
              for (const good of goods) expect(counts.get(good.id as string)).toBe(1);
            }
            expect(await orphans()).toBe(0);
            for (const url of READS)
              expect({ url, status: (await app.inject({ url, headers: admin })).statusCode }).toEqual({ url, status: 200 });
          },
        ),
        { numRuns: RUNS, seed: SEED, endOnFailure: true },
      );
    },
    TIMEOUT,
  );

  it.skipIf(!sharedFixturesPresent())(
    `the public fixtures with their ids, timestamps and texts replaced by hostile values${sharedFixturesPresent() ? '' : ` (${SHARED_FIXTURES_NAME} absent: skipped)`}`,
    async () => {
      const fixtures = sharedFixtures();
      expect(fixtures.length, `no payload in ${SHARED_FIXTURES_NAME}`).toBeGreaterThan(0);
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...fixtures), fc.array(hostileValue, { minLength: 1, maxLength: 3 }), async (fixture, values) => {
          const payload = structuredClone(fixture.payload) as { entry?: { changes?: { value?: Json }[] }[] };
          let i = 0;
          for (const entry of payload.entry ?? [])
            for (const change of entry.changes ?? [])
              for (const key of ['messages', 'statuses'] as const)
                for (const item of (change.value?.[key] as Json[] | undefined) ?? []) {
                  item.id = `wamid.fx-${randomUUID()}`;
                  const field = ['timestamp', 'id', 'from', 'type'][i % 4] as string;
                  if (values[i % values.length] !== undefined) item[field] = values[i % values.length];
                  i++;
                }
          const response = await deliver(app, payload);
          expect(response.statusCode).toBeLessThan(500);
          expect(await orphans()).toBe(0);
          for (const url of READS) expect((await app.inject({ url, headers: admin })).statusCode).toBe(200);
        }),
        { numRuns: Math.max(20, Math.floor(RUNS / 3)), seed: SEED, endOnFailure: true },
      );
    },
    TIMEOUT,
  );
});
