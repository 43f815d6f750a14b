import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../src/db/database.js';
import { applyPendingStatuses } from '../../src/conversations/delivery-status.repository.js';
import { bearer } from '../helpers/auth.js';
import { storedWithDetails } from '../helpers/rows.js';
import { describeEachDatabase } from '../helpers/test-database.js';
import { message, notification, status } from '../helpers/payloads.js';
import { insertMessages, messageIds } from '../helpers/messages.js';
import { deliver, signedRequest, testApp, useMigratedApp, VERIFY_TOKEN, WEBHOOK } from '../helpers/webhook.js';
import type { ErrorBody } from '../../src/http/error-handler.js';
import type { LightMyRequestResponse } from 'fastify';

const errorOf = (response: LightMyRequestResponse) => response.json<ErrorBody>().error;

describeEachDatabase('POST /api/v1/whatsapp/webhook', ({ fresh }) => {
  const context = useMigratedApp(fresh);
  let database: Database;
  let app: FastifyInstance;
  beforeAll(() => {
    database = context.database();
    app = context.app();
  });

  const stored = (ids: string[]) => storedWithDetails(database, ids);
  const total = async () =>
    Number((await sql<{ n: string }>`select count(*) as n from conversaciones_whatsapp`.execute(database.kysely)).rows[0]?.n);

  it("stores Charla's own payload of every type with a useful body and its details", async () => {
    const cases = [
      [message.text('Hola, quiero saber mi saldo'), 'text', 'Hola, quiero saber mi saldo', {}],
      [message.image('comprobante de pago'), 'image', 'comprobante de pago', { media_id: 'media-img-1', media_mime_type: 'image/jpeg' }],
      [message.image(), 'image', '[imagen]', { media_id: 'media-img-1' }],
      [
        message.document('recibo-marzo.pdf'),
        'document',
        '[documento] recibo-marzo.pdf',
        { media_id: 'media-doc-1', media_mime_type: 'application/pdf' },
      ],
      [message.voice(), 'audio', '[nota de voz]', { media_id: 'media-voice-1' }],
      [message.video(), 'video', '[video]', { media_id: 'media-vid-1', media_mime_type: 'video/mp4' }],
      [message.sticker(), 'sticker', '[sticker]', { media_id: 'media-stk-1' }],
      [message.location(), 'location', '[ubicación] Agencia Chacao, Av. Francisco de Miranda (10.4806, -66.9036)', {}],
      [message.contacts(), 'contacts', '[contacto] Luis Pérez +58 414 5550000', {}],
      [message.buttonReply('menu_saldo', 'Mi saldo'), 'interactive', 'Mi saldo', { reply_id: 'menu_saldo' }],
      [message.listReply('menu_cuota', 'Próxima cuota'), 'interactive', 'Próxima cuota', { reply_id: 'menu_cuota' }],
      [
        message.quickReply('PAGAR', 'Quiero pagar'),
        'button',
        'Quiero pagar',
        { reply_id: 'PAGAR', context_message_id: 'wamid.template-1' },
      ],
      [message.reaction('wamid.reacted-to', '👍'), 'reaction', '👍', { reaction_message_id: 'wamid.reacted-to' }],
      [message.reply('sí, esa', 'wamid.quoted'), 'text', 'sí, esa', { context_message_id: 'wamid.quoted' }],
      [message.unsupported(), 'unsupported', '[no soportado: edit]', {}],
    ] as const;
    for (const [msg, type, body, detail] of cases) {
      const payload = notification([msg], { name: 'María José' });
      const response = await deliver(app, payload);
      expect(response.statusCode, `${type}: ${response.body}`).toBe(200);
      const [row] = await stored(messageIds(payload));
      expect(row, type).toMatchObject({
        message_type: type,
        body,
        direccion: 'INBOUND',
        from_number: '584121234567',
        to_number: '15550001234',
      });
      expect(row, type).toMatchObject({ profile_name: 'María José', ...detail });
    }
  });

  it('stores a message from a user known only by BSUID, and quarantines one with no sender at all', async () => {
    const payload = notification([message.text('hola')]);
    const item = payload.entry[0]!.changes[0]!.value.messages![0] as Record<string, unknown>;
    delete item.from;
    item.from_user_id = 'US.13491208655302741918';
    expect((await deliver(app, payload)).statusCode).toBe(200);
    const [row] = await stored(messageIds(payload));
    expect(row).toMatchObject({ from_number: '', body: 'hola', cliente_id: null });
    expect(JSON.parse(row?.metadata ?? '{}')).toMatchObject({ from_user_id: 'US.13491208655302741918' });

    delete item.from_user_id;
    item.id = 'wamid.no-sender';
    const refused = await deliver(app, payload);
    expect(refused.statusCode).toBe(200);
    expect(await stored(['wamid.no-sender'])).toEqual([]);
    const kept = await database.kysely.selectFrom('whatsapp_cuarentena').selectAll().where('message_id', '=', 'wamid.no-sender').execute();
    expect(kept).toHaveLength(1);
    expect(kept[0]?.motivo).toContain('a message needs "from" or "from_user_id"');
    expect(JSON.parse(kept[0]?.contenido ?? '{}')).toEqual(item);
  });

  it('verifies the signature over the raw bytes: non-ASCII text and escaped characters', async () => {
    const id = 'wamid.raw-bytes-check';
    const raw =
      '{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"metadata":{"display_phone_number":"15550001234","phone_number_id":"1"},' +
      `"messages":[{"from":"584121234567","id":"${id}","timestamp":"1732500000","type":"text","text":{"body":"Se\\u00f1or, pagu\\u00e9 ayer: ver https:\\/\\/banco.example\\/r?id=1 — ¿está bien? 🙏"}}]}}]}]}`;
    expect((await deliver(app, raw)).statusCode).toBe(200);
    const [row] = await stored([id]);
    expect(row?.body).toBe('Señor, pagué ayer: ver https://banco.example/r?id=1 — ¿está bien? 🙏');
    // Re-serialising the parsed JSON changes the bytes: a signature over that must fail.
    const reencoded = JSON.stringify(JSON.parse(raw));
    const tampered = await app.inject({ ...signedRequest(raw), payload: reencoded });
    expect(tampered.statusCode).toBe(401);
  });

  it('stores one row for the same payload delivered 5 times at once', async () => {
    const payload = notification([message.text('¿cuánto debo?')]);
    const responses = await Promise.all(Array.from({ length: 5 }, () => deliver(app, payload)));
    expect(responses.map((r) => r.statusCode)).toEqual([200, 200, 200, 200, 200]);
    expect(await stored(messageIds(payload))).toHaveLength(1);
    expect((await deliver(app, payload)).statusCode).toBe(200);
    expect(await stored(messageIds(payload))).toHaveLength(1);
  });

  it('stores 50 rows for a batch of 50 messages in one delivery, and every entry and change of a payload', async () => {
    const payload = notification(Array.from({ length: 50 }, (_, i) => message.text(`mensaje ${i}`)));
    expect((await deliver(app, payload)).statusCode).toBe(200);
    expect(await stored(messageIds(payload))).toHaveLength(50);

    const first = notification([message.text('uno')], { from: '584141111111' });
    const second = notification([message.text('dos')], { from: '584142222222' });
    const third = notification([message.text('tres')], { from: '584143333333' });
    const combined = {
      object: 'whatsapp_business_account',
      entry: [{ id: 'a', changes: [...first.entry[0]!.changes, ...second.entry[0]!.changes] }, ...third.entry],
    };
    expect((await deliver(app, combined)).statusCode).toBe(200);
    const rows = await stored([...messageIds(first), ...messageIds(second), ...messageIds(third)]);
    expect(rows.map((r) => r.body).sort()).toEqual(['dos', 'tres', 'uno']);
  });

  it('moves delivery status forward only, whatever order the statuses arrive in', async () => {
    const wamid = 'wamid.outbound-order-check';
    await insertMessages(database, { message_id: wamid, direccion: 'OUTBOUND' });
    for (const value of ['read', 'sent', 'delivered'] as const) {
      expect((await deliver(app, notification([], { statuses: [status(wamid, value, 1732500000)] }))).statusCode).toBe(200);
    }
    const detail = await database.kysely
      .selectFrom('whatsapp_mensajes_detalle')
      .selectAll()
      .where('message_id', '=', wamid)
      .executeTakeFirstOrThrow();
    expect(detail.status).toBe('read');
  });

  it('records a failure with its code and title in error', async () => {
    const wamid = 'wamid.outbound-failed-check';
    await insertMessages(database, { message_id: wamid, direccion: 'OUTBOUND' });
    const failed = status(wamid, 'failed', 1732500000, [
      { code: 131047, title: 'Re-engagement message', error_data: { details: 'More than 24 hours' } },
    ]);
    expect((await deliver(app, notification([], { statuses: [status(wamid, 'sent', 1732499999), failed] }))).statusCode).toBe(200);
    const [row] = await stored([wamid]);
    expect(row?.error).toBe('131047 Re-engagement message: More than 24 hours');
  });

  it('keeps a status for a message it does not know yet, and applies it once the message is recorded', async () => {
    const wamid = 'wamid.not-yet-recorded';
    expect((await deliver(app, notification([], { statuses: [status(wamid, 'delivered', 1732500000)] }))).statusCode).toBe(200);
    expect((await deliver(app, notification([], { statuses: [status(wamid, 'delivered', 1732500000)] }))).statusCode).toBe(200);
    const pending = await database.kysely.selectFrom('whatsapp_estados_pendientes').selectAll().where('message_id', '=', wamid).execute();
    expect(pending.map((p) => p.status)).toEqual(['delivered']);

    await insertMessages(database, { message_id: wamid, direccion: 'OUTBOUND' });
    expect(await applyPendingStatuses(database.kysely, database.support, [wamid])).toBe(1);
    const detail = await database.kysely
      .selectFrom('whatsapp_mensajes_detalle')
      .selectAll()
      .where('message_id', '=', wamid)
      .executeTakeFirstOrThrow();
    expect(detail.status).toBe('delivered');
    expect(await database.kysely.selectFrom('whatsapp_estados_pendientes').selectAll().where('message_id', '=', wamid).execute()).toEqual(
      [],
    );
  });

  it('answers 401 without a signature, 400 for malformed JSON or a foreign object, 413 past 3 MB — storing nothing', async () => {
    const before = await total();
    const payload = notification([message.text('hola')]);
    const unsigned = await deliver(app, payload, { secret: null });
    expect(unsigned.statusCode).toBe(401);
    expect(errorOf(unsigned).code).toBe('WEBHOOK_SIGNATURE_INVALID');
    expect(errorOf(unsigned).message).toContain('nothing was stored');

    const malformed = await deliver(app, '{"object":"whatsapp_business_account","entry":[');
    expect(malformed.statusCode).toBe(400);
    expect(errorOf(malformed).code).toBe('WEBHOOK_PAYLOAD_INVALID');
    expect(errorOf(malformed).message).toContain('not valid JSON');

    const foreign = await deliver(app, { object: 'instagram', entry: [] });
    expect(foreign.statusCode).toBe(400);
    expect(errorOf(foreign).message).toContain('Not a whatsapp_business_account notification');

    const envelope = await deliver(app, { object: 'whatsapp_business_account', entry: [{ id: '1', changes: 'none' }] });
    expect(envelope.statusCode).toBe(400);
    expect(errorOf(envelope).code).toBe('WEBHOOK_PAYLOAD_INVALID');

    const huge = notification([message.text('x'.repeat(3 * 1024 * 1024))]);
    const tooLarge = await deliver(app, huge);
    expect(tooLarge.statusCode).toBe(413);
    expect(errorOf(tooLarge).code).toBe('WEBHOOK_PAYLOAD_TOO_LARGE');
    expect(await total()).toBe(before);
  });
});

describeEachDatabase('webhook verification, info and health', ({ fresh }) => {
  const context = useMigratedApp(fresh);
  let database: Database;
  let app: FastifyInstance;
  beforeAll(() => {
    database = context.database();
    app = context.app();
  });

  it("answers Meta's verification with the challenge as text/plain, and 403 otherwise", async () => {
    const ok = await app.inject({ url: `${WEBHOOK}?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1158201444` });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['content-type']).toMatch(/^text\/plain/);
    expect(ok.body).toBe('1158201444');
    expect((await app.inject({ url: `${WEBHOOK}?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1` })).statusCode).toBe(403);
    expect((await app.inject({ url: `${WEBHOOK}?hub.mode=unsubscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1` })).statusCode).toBe(
      403,
    );
  });

  it('refuses verification and deliveries when no token or secret is configured', async () => {
    const bare = await testApp(database, { WHATSAPP_VERIFY_TOKEN: '', WHATSAPP_APP_SECRET: '' });
    try {
      expect((await bare.inject({ url: `${WEBHOOK}?hub.mode=subscribe&hub.verify_token=&hub.challenge=1` })).statusCode).toBe(403);
      const delivery = await deliver(bare, notification([message.text('hola')]));
      expect(delivery.statusCode).toBe(503);
      expect(errorOf(delivery).code).toBe('WEBHOOK_NOT_CONFIGURED');
    } finally {
      await bare.close();
    }
  });

  it('shows the webhook info only to an admin, and no part of any secret', async () => {
    expect((await app.inject({ url: `${WEBHOOK}/info` })).statusCode).toBe(401);
    expect((await app.inject({ url: `${WEBHOOK}/info`, headers: { authorization: 'Bearer wrong-token-wrong-token' } })).statusCode).toBe(
      401,
    );
    expect((await app.inject({ url: `${WEBHOOK}/info`, headers: await bearer(database, 'agente') })).statusCode).toBe(403);
    const secrets = { WHATSAPP_APP_SECRET: randomHex(), WHATSAPP_VERIFY_TOKEN: randomHex() };
    const secretive = await testApp(database, secrets);
    try {
      const admin = await bearer(database, 'admin');
      const info = await secretive.inject({ url: `${WEBHOOK}/info`, headers: { ...admin, host: 'charla.example.com' } });
      expect(info.statusCode).toBe(200);
      expect(info.json()).toMatchObject({
        webhook_url: 'http://charla.example.com/api/v1/whatsapp/webhook',
        verify_token_configured: true,
        app_secret_configured: true,
      });
      for (const secret of [...Object.values(secrets), admin.authorization.slice('Bearer '.length)]) {
        for (let i = 0; i + 6 <= secret.length; i++) expect(info.body).not.toContain(secret.slice(i, i + 6));
      }
    } finally {
      await secretive.close();
    }
  });

  it('reports health and readiness', async () => {
    expect((await app.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' });
    expect((await app.inject({ url: '/readyz' })).json()).toEqual({ status: 'ready' });
    expect((await app.inject({ url: '/nowhere' })).statusCode).toBe(404);
  });
});

describe('a database that stops answering', () => {
  it('makes /readyz answer 503', async () => {
    const { openDatabase } = await import('../../src/db/database.js');
    const database = await openDatabase({ kind: 'pglite', dataDir: null });
    const app = await testApp(database);
    await database.kysely.destroy();
    const ready = await app.inject({ url: '/readyz' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json<{ detail: string }>().detail).toMatch(/^La base de datos no responde/);
    await app.close();
  });
});

function randomHex(): string {
  // Letters only from a-z so that no fragment can collide with the digits of ports or ids in the body.
  return [...randomBytes(24)].map((b) => String.fromCharCode(97 + (b % 26))).join('');
}
