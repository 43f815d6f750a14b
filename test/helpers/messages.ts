import type { Insertable } from 'kysely';
import { storeNotifications } from '../../src/conversations/inbound.repository.js';
import type { Database } from '../../src/db/database.js';
import type { ConversacionesWhatsappTable } from '../../src/db/tables.js';
import { readNotification } from '../../src/webhook/notification-reader.js';
import { serverWebhookPayloadSchema } from '../../src/webhook/webhook-payload.schema.js';
import { message, notification } from './payloads.js';
import { inboundMessage } from './rows.js';
import { signedHeaders, WEBHOOK } from './webhook.js';

/**
 * Getting messages into a database the ways Charla does: stored as the webhook stores them,
 * posted signed to a running server, or written as rows directly.
 */

export type Notification = ReturnType<typeof notification>;

/** The wamids of a notification's messages, in order. */
export function messageIds(payload: Notification): string[] {
  return payload.entry.flatMap((entry) => entry.changes.flatMap((change) => change.value.messages?.map((m) => m.id) ?? []));
}

/** One notification of text messages from `from`, sent one second apart from `sentAt` (seconds since the epoch; now unless said). */
export function textsFrom(from: string, texts: string[], sentAt = Math.floor(Date.now() / 1000)): Notification {
  return notification(
    texts.map((text, i) => ({ ...message.text(text), timestamp: String(sentAt + i) })),
    { from },
  );
}

/** Stores a notification as the webhook does (same reader, same repository), without HTTP. */
export async function storePayload(database: Database, payload: unknown): Promise<void> {
  await storeNotifications(database.kysely, database.support, [readNotification(serverWebhookPayloadSchema.parse(payload))], '58');
}

/** Stores text messages from `from` as the webhook would (see textsFrom), returning their wamids. */
export async function storeTexts(database: Database, from: string, texts: string[], sentAt?: number): Promise<string[]> {
  const payload = textsFrom(from, texts, sentAt);
  await storePayload(database, payload);
  return messageIds(payload);
}

/** POSTs `payload` to the webhook of the server at `baseUrl` (http://host:port), signed with the test secret. */
export async function postSigned(baseUrl: string, payload: unknown): Promise<Response> {
  const body = JSON.stringify(payload);
  return fetch(`${baseUrl}${WEBHOOK}`, { method: 'POST', headers: signedHeaders(body), body });
}

/** Inserts conversaciones_whatsapp rows directly: each is an inbound text message (rows.ts) with the overrides given. */
export async function insertMessages(database: Database, ...overrides: Partial<Insertable<ConversacionesWhatsappTable>>[]): Promise<void> {
  await database.kysely
    .insertInto('conversaciones_whatsapp')
    .values(overrides.map((o) => inboundMessage(o)))
    .execute();
}
