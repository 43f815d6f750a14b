import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../src/db/database.js';
import { describeEachDatabase } from '../helpers/test-database.js';
import { storedWithDetails } from '../helpers/rows.js';
import { SHARED_FIXTURES_NAME, sharedFixtures, sharedFixturesPresent } from '../helpers/shared-fixtures.js';
import { deliver, useMigratedApp, withUniqueIds } from '../helpers/webhook.js';

/** What each public payload must become, written out by hand: type, body and kept details per message. */
const expected: Record<
  string,
  { messages: { type: string; body: string; detail?: Record<string, unknown>; error?: string }[]; statuses?: number }
> = {
  audio_voice: {
    messages: [
      { type: 'audio', body: '[nota de voz]', detail: { media_id: '1234567890987654321', media_mime_type: 'audio/ogg; codecs=opus' } },
    ],
  },
  batch_multi_change: {
    messages: [
      { type: 'text', body: 'MESSAGE_BODY' },
      { type: 'text', body: 'MESSAGE_BODY2' },
    ],
  },
  button_template_quick_reply: {
    messages: [{ type: 'button', body: 'title', detail: { reply_id: 'callback_data', context_message_id: 'wamid.xyzxyz==' } }],
  },
  contacts: {
    messages: [
      { type: 'contacts', body: '[contacto] Chandler Bing +1 555-555-5555; Monica +1 666-666-6666; Rachel Green +1 777-777-7777' },
    ],
  },
  document_with_caption: {
    messages: [{ type: 'document', body: 'caption', detail: { media_id: '1234567890987654321', media_mime_type: 'application/pdf' } }],
  },
  image_with_caption: {
    messages: [{ type: 'image', body: 'CAPTION_TEXT', detail: { media_id: 'IMAGE_ID', media_mime_type: 'image/jpeg' } }],
  },
  image_with_webhook_media_url: { messages: [{ type: 'image', body: '[imagen]', detail: { media_id: '65463453' } }] },
  interactive_button_reply: { messages: [{ type: 'interactive', body: 'title', detail: { reply_id: 'callback_data' } }] },
  interactive_list_reply: { messages: [{ type: 'interactive', body: 'title', detail: { reply_id: 'callback_data' } }] },
  location: {
    messages: [{ type: 'location', body: '[ubicación] Facebook HQ, 1 Hacker Way, Menlo Park, CA 94025 (37.4611978, -122.2164385)' }],
  },
  message_with_value_level_errors: {
    messages: [{ type: 'interactive', body: '[interactivo]', error: '131000 Something went wrong: Unsupported webhook payload' }],
  },
  reaction: { messages: [{ type: 'reaction', body: '😮', detail: { reaction_message_id: 'wamid.yzxyzx=' } }] },
  reaction_removed: { messages: [{ type: 'reaction', body: '[reacción eliminada]', detail: { reaction_message_id: 'wamid.yzxyzx=' } }] },
  referral_click_to_whatsapp_ad: { messages: [{ type: 'text', body: 'BODY' }] },
  status_delivered: { messages: [], statuses: 1 },
  status_failed_with_errors: { messages: [], statuses: 1 },
  status_read: { messages: [], statuses: 1 },
  status_sent: { messages: [], statuses: 1 },
  status_sent_pmp_pricing_bsuid_v25: { messages: [], statuses: 1 },
  sticker_animated: {
    messages: [{ type: 'sticker', body: '[sticker]', detail: { media_id: '1234567890987654321', media_mime_type: 'image/webp' } }],
  },
  text: { messages: [{ type: 'text', body: 'Body Text', detail: { profile_name: 'Test Name', phone_number_id: '1122334455667' } }] },
  text_bsuid_username_v25: { messages: [{ type: 'text', body: 'this is a text message', detail: { profile_name: 'test user name' } }] },
  unsupported: {
    messages: [
      { type: 'unsupported', body: '[no soportado: pool]', error: '131051 Message type unknown: Message type is currently not supported.' },
    ],
  },
};

const present = sharedFixturesPresent();
const fixtures = sharedFixtures();

describe.skipIf(!present)(
  present ? `the public webhook payloads of ${SHARED_FIXTURES_NAME}` : `public webhook fixtures (${SHARED_FIXTURES_NAME} absent: skipped)`,
  () => {
    describeEachDatabase('each payload', ({ fresh }) => {
      const context = useMigratedApp(fresh);
      /** Payload tests that ran to their end on this database: at least one must have. */
      let tested = 0;
      let database: Database;
      let app: FastifyInstance;
      beforeAll(() => {
        database = context.database();
        app = context.app();
      });

      it('finds payloads in the folder, and knows what every one of them should become', () => {
        expect(fixtures.length, `no .json file in ${SHARED_FIXTURES_NAME}`).toBeGreaterThan(0);
        for (const { name } of fixtures) expect(Object.keys(expected), `no expectation for ${name}.json`).toContain(name);
      });

      for (const { name, payload } of fixtures) {
        it(`${name}: stored as expected when signed, nothing stored with a wrong signature`, async () => {
          const { payload: unique, ids } = withUniqueIds(payload);
          const forged = await deliver(app, unique, { secret: 'not-the-app-secret' });
          expect(forged.statusCode).toBe(401);
          expect(await countRows(database, ids)).toBe(0);

          const response = await deliver(app, unique);
          expect(response.statusCode, response.body).toBe(200);
          const want = expected[name] ?? { messages: [] };
          const rows = await storedWithDetails(database, ids);
          expect(rows.map((r) => ({ type: r.message_type, body: r.body }))).toEqual(
            want.messages.map((m) => ({ type: m.type, body: m.body })),
          );
          rows.forEach((row, i) => {
            const w = want.messages[i];
            expect(row.direccion).toBe('INBOUND');
            expect(row.procesado).toBe(false);
            if (w?.detail) expect(row).toMatchObject(w.detail);
            expect(row.error).toBe(w?.error ?? null);
          });
          const pending = await database.kysely
            .selectFrom('whatsapp_estados_pendientes')
            .select('message_id')
            .where('message_id', 'in', ids)
            .execute();
          expect(pending).toHaveLength(want.statuses ?? 0);
          tested++;
        });
      }

      it('tested at least one payload', () => {
        expect(tested).toBeGreaterThan(0);
      });
    });
  },
);

async function countRows(database: Database, ids: string[]): Promise<number> {
  const { rows } = await sql<{
    n: number | string;
  }>`select count(*) as n from conversaciones_whatsapp where message_id in (${sql.join(ids)})`.execute(database.kysely);
  const pending = await sql<{
    n: number | string;
  }>`select count(*) as n from whatsapp_estados_pendientes where message_id in (${sql.join(ids)})`.execute(database.kysely);
  return Number(rows[0]?.n) + Number(pending.rows[0]?.n);
}
