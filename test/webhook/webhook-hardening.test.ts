import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.js';
import { sign } from '../../src/webhook/signature.js';
import { bearer } from '../helpers/auth.js';
import { message, notification, type Message } from '../helpers/payloads.js';
import { orphanDetails } from '../helpers/rows.js';
import { describeEachDatabase } from '../helpers/test-database.js';
import { APP_SECRET, deliver, useMigratedApp, VERIFY_TOKEN, WEBHOOK } from '../helpers/webhook.js';

/** One delivery: a good message and a bad one from the same customer. */
function goodAndBad(bad: Message): { payload: ReturnType<typeof notification>; good: string; badId: string } {
  const good = `wamid.good-${randomUUID()}`;
  const badId = bad.id ?? `wamid.bad-${randomUUID()}`;
  return {
    payload: notification([
      { ...message.text('buenas, mi saldo'), id: good },
      { ...bad, id: badId },
    ]),
    good,
    badId,
  };
}

describeEachDatabase('webhook: one bad item never holds back the good ones', ({ fresh }) => {
  const context = useMigratedApp(fresh);
  let database: Database;
  let app: FastifyInstance;
  beforeAll(() => {
    database = context.database();
    app = context.app();
  });

  const row = (id: string) =>
    database.kysely.selectFrom('conversaciones_whatsapp').selectAll().where('message_id', '=', id).executeTakeFirst();
  const details = (id: string) =>
    database.kysely.selectFrom('whatsapp_mensajes_detalle').selectAll().where('message_id', '=', id).executeTakeFirst();
  const quarantined = () => database.kysely.selectFrom('whatsapp_cuarentena').selectAll().orderBy('id').execute();
  const orphans = () => orphanDetails(database);

  it('repairs a NUL in the text or in the profile name (U+FFFD) and stores both messages', async () => {
    const { payload, good, badId } = goodAndBad(message.text('pagué\u0000 ayer'));
    payload.entry[0]!.changes[0]!.value.contacts![0]!.profile.name = 'Ana\u0000';
    expect((await deliver(app, payload)).statusCode).toBe(200);
    expect(await row(good)).toMatchObject({ body: 'buenas, mi saldo' });
    expect(await row(badId)).toMatchObject({ body: 'pagué\uFFFD ayer' });
    expect((await details(badId))?.profile_name).toBe('Ana\uFFFD');
  });

  it('replaces a 20-digit or a year-10000 timestamp by the reception time, keeping Meta’s value', async () => {
    for (const timestamp of ['99999999999999999999', String(Date.UTC(10000, 0, 1) / 1000), '-5', 'ayer']) {
      const before = Date.now();
      const { payload, good, badId } = goodAndBad({ ...message.text('hola'), timestamp });
      expect((await deliver(app, payload)).statusCode).toBe(200);
      expect(await row(good)).toBeDefined();
      const stored = await row(badId);
      expect(stored?.timestamp.getTime()).toBeGreaterThanOrEqual(before - 1000);
      expect(stored?.timestamp.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
      expect(JSON.parse((await details(badId))?.metadata ?? '{}')).toMatchObject({ timestamp_meta: JSON.stringify(timestamp) });
    }
  });

  it('quarantines, whole and once, a message whose id holds a NUL, and stores its neighbour', async () => {
    const before = (await quarantined()).length;
    const { payload, good } = goodAndBad({ ...message.text('x'), id: 'wamid.nul\u0000id' });
    for (let i = 0; i < 3; i++) expect((await deliver(app, payload)).statusCode).toBe(200);
    expect(await row(good)).toBeDefined();
    const kept = (await quarantined()).slice(before);
    expect(kept).toHaveLength(1);
    expect(kept[0]).toMatchObject({ clase: 'mensaje', message_id: 'wamid.nul\uFFFDid' });
    expect(kept[0]?.motivo).toContain('id holds a NUL');
    expect(JSON.parse(kept[0]?.contenido ?? '{}')).toEqual(payload.entry[0]!.changes[0]!.value.messages![1]);
  });

  it('quarantines a body over 64 KB on every database alike', async () => {
    const { payload, good, badId } = goodAndBad(message.text('ñ'.repeat(40_000)));
    expect((await deliver(app, payload)).statusCode).toBe(200);
    expect(await row(good)).toBeDefined();
    expect(await row(badId)).toBeUndefined();
    const kept = (await quarantined()).find((q) => q.message_id === badId);
    expect(kept?.motivo).toContain('body has 80000 bytes');
  });

  it('quarantines a message or status that is not an object, and an unreadable change, keeping the rest', async () => {
    const payload = notification([message.text('hola')]) as unknown as {
      entry: { changes: { value: { messages: unknown[]; statuses?: unknown[] } }[] }[];
    };
    const goodId = (payload.entry[0]!.changes[0]!.value.messages[0] as { id: string }).id;
    payload.entry[0]!.changes[0]!.value.messages.push(42, { id: 'wamid.no-type', from: '584121234567', timestamp: '1732500000' });
    payload.entry[0]!.changes[0]!.value.statuses = ['read'];
    payload.entry[0]!.changes.push({ value: 'not a value' } as never);
    const before = (await quarantined()).length;
    expect((await deliver(app, payload)).statusCode).toBe(200);
    expect(await row(goodId)).toBeDefined();
    const kept = (await quarantined()).slice(before);
    expect(kept.map((q) => q.clase).sort()).toEqual(['cambio', 'estado', 'mensaje', 'mensaje']);
  });

  it('stores a delivery of 8,000 messages, more than any driver’s bind-parameter limit in one statement', async () => {
    const payload = notification(Array.from({ length: 8000 }, (_, i) => message.text(`m${i}`)));
    const ids = payload.entry[0]!.changes[0]!.value.messages!.map((m) => m.id);
    const response = await deliver(app, payload);
    expect(response.statusCode).toBe(200);
    const { n } = await database.kysely
      .selectFrom('conversaciones_whatsapp')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('message_id', 'like', 'wamid.%')
      .where('body', 'like', 'm%')
      .executeTakeFirstOrThrow();
    expect(Number(n)).toBeGreaterThanOrEqual(8000);
    expect(await row(ids[7999] as string)).toMatchObject({ body: 'm7999' });
  });

  it('commits a message and its details together: a message the database refuses leaves no details row', async () => {
    // A constraint the database enforces and Charla cannot foresee stands in for any refused value.
    await sql`alter table conversaciones_whatsapp add constraint chk_test_refused check (body is null or body <> 'refused by the database')`.execute(
      database.kysely,
    );
    try {
      const { payload, good, badId } = goodAndBad(message.text('refused by the database'));
      expect((await deliver(app, payload)).statusCode).toBe(200);
      expect(await row(good)).toBeDefined();
      expect(await row(badId)).toBeUndefined();
      expect(await details(badId)).toBeUndefined();
      expect(await orphans()).toBe(0);
      const kept = (await quarantined()).find((q) => q.message_id === badId);
      expect(kept?.motivo).toContain('the database refused it');
    } finally {
      await sql`alter table conversaciones_whatsapp drop constraint chk_test_refused`.execute(database.kysely);
    }
  });

  it('shows quarantined items to admins only, newest first, with their content as sent', async () => {
    const admin = await bearer(database, 'admin');
    const list = await app.inject({ url: '/api/v1/cuarentena?limite=2', headers: admin });
    expect(list.statusCode).toBe(200);
    const body = list.json<{ cuarentena: { id: number; contenido: unknown; motivo: string }[]; total: number; cursor_siguiente: string }>();
    expect(body.total).toBeGreaterThanOrEqual(4);
    expect(body.cuarentena).toHaveLength(2);
    expect(body.cuarentena[0]!.id).toBeGreaterThan(body.cuarentena[1]!.id);
    const next = await app.inject({ url: `/api/v1/cuarentena?limite=2&cursor=${body.cursor_siguiente}`, headers: admin });
    expect(next.json<{ cuarentena: { id: number }[] }>().cuarentena[0]!.id).toBeLessThan(body.cuarentena[1]!.id);
    const one = await app.inject({ url: `/api/v1/cuarentena/${body.cuarentena[0]!.id}`, headers: admin });
    expect(one.json<{ elemento: { contenido: unknown } }>().elemento.contenido).toEqual(body.cuarentena[0]!.contenido);
    expect((await app.inject({ url: '/api/v1/cuarentena', headers: await bearer(database, 'agente') })).statusCode).toBe(403);
    expect((await app.inject({ url: '/api/v1/cuarentena/2147483648', headers: admin })).statusCode).toBe(400);
  });
});

describeEachDatabase('webhook: signature and verification parsing', ({ fresh }) => {
  const context = useMigratedApp(fresh);

  it('refuses a signature with anything after the 64 hex digits', async () => {
    const raw = JSON.stringify(notification([message.text('hola')]));
    for (const junk of ['00', 'zz', ' ', '\n']) {
      const response = await context.app().inject({
        method: 'POST',
        url: WEBHOOK,
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': `${sign(raw, APP_SECRET)}${junk}` },
        payload: raw,
      });
      expect(response.statusCode).toBe(401);
    }
  });

  it('answers a repeated hub.verify_token or hub.challenge with 403, not 500', async () => {
    for (const query of [
      `hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1`,
      `hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1&hub.challenge=2`,
      `hub.mode=subscribe&hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1`,
    ]) {
      const response = await context.app().inject({ url: `${WEBHOOK}?${query}` });
      expect(response.statusCode).toBe(403);
      expect(response.json<{ error: { code: string } }>().error.code).toBe('WEBHOOK_VERIFICATION_FAILED');
    }
  });
});
