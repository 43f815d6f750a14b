import { randomUUID } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import { loadConfig, type Config } from '../../src/config/config.js';
import type { Database } from '../../src/db/database.js';
import { buildApp } from '../../src/http/app.js';
import { sign } from '../../src/webhook/signature.js';
import { migratorFor } from './migrations.js';
import type { EngineContext } from './test-database.js';

export const APP_SECRET = 'test-app-secret';
export const VERIFY_TOKEN = 'test-verify-token';
export const WEBHOOK = '/api/v1/whatsapp/webhook';

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    DATABASE_URL: 'pglite:memory',
    WHATSAPP_APP_SECRET: APP_SECRET,
    WHATSAPP_VERIFY_TOKEN: VERIFY_TOKEN,
    LOG_LEVEL: 'silent',
    ...overrides,
  });
}

export async function testApp(database: Database, overrides: Record<string, string> = {}): Promise<FastifyInstance> {
  return buildApp({ config: testConfig(overrides), database, logger: false });
}

/** The headers Meta sends with `raw`: JSON, and its signature with `secret` (none with null). */
export function signedHeaders(raw: string | Buffer, secret: string | null = APP_SECRET): Record<string, string> {
  return { 'content-type': 'application/json', ...(secret === null ? {} : { 'x-hub-signature-256': sign(raw, secret) }) };
}

/** The webhook request for `body` (an object, or raw text/bytes sent as they are) signed with `secret`, for inject(). */
export function signedRequest(body: unknown, options: { secret?: string | null } = {}) {
  const raw = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  return { method: 'POST' as const, url: WEBHOOK, headers: signedHeaders(raw, options.secret), payload: raw };
}

/** POSTs `body` (an object, or raw text/bytes sent as they are) signed with `secret`. */
export function deliver(app: FastifyInstance, body: unknown, options: { secret?: string | null } = {}): Promise<LightMyRequestResponse> {
  return app.inject(signedRequest(body, options));
}

/**
 * The fixtures reuse placeholder ids (`wamid.xyzxyz`): gives every message and status a unique
 * one, returning the new ids in order.
 */
export function withUniqueIds<T>(payload: T): { payload: T; ids: string[] } {
  const copy = structuredClone(payload) as {
    entry: { changes: { value: { messages?: { id: string }[]; statuses?: { id: string }[] } }[] }[];
  };
  const ids: string[] = [];
  for (const entry of copy.entry) {
    for (const change of entry.changes) {
      for (const item of [...(change.value.messages ?? []), ...(change.value.statuses ?? [])]) {
        item.id = `wamid.${randomUUID()}`;
        ids.push(item.id);
      }
    }
  }
  return { payload: copy as T, ids };
}

/**
 * For a describe block: a fresh database migrated to head and an app over it, closed afterwards.
 * `prepare` runs before the app is built (to seed customers, say).
 */
export function useMigratedApp(
  fresh: EngineContext['fresh'],
  prepare: (database: Database) => Promise<void> = async () => {},
): { database: () => Database; app: () => FastifyInstance } {
  let database: Database | undefined;
  let app: FastifyInstance | undefined;
  beforeAll(async () => {
    database = await (await fresh()).open();
    await migratorFor(database).migrator.upgrade('head');
    await prepare(database);
    app = await testApp(database);
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });
  return {
    database: () => database as Database,
    app: () => app as FastifyInstance,
  };
}
