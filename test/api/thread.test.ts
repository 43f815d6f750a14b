import { beforeAll, expect, it, vi } from 'vitest';
import { insertAgentMessage } from '../../src/api/agent-send.repository.js';
import type { ThreadMessage, ThreadPage } from '../../src/api/inbox.schemas.js';
import { createAgent } from '../../src/auth/agents.repository.js';
import type { Database } from '../../src/db/database.js';
import { BotWorker } from '../../src/worker/bot-worker.js';
import { claimDue, markSent } from '../../src/worker/outbox.repository.js';
import { storePayload } from '../helpers/messages.js';
import { BUSINESS_NUMBER, message, notification, status } from '../helpers/payloads.js';
import { describeEachDatabase } from '../helpers/test-database.js';
import { useMigratedApp } from '../helpers/webhook.js';

// Migrating a fresh database to head takes a minute on a loaded shared machine.
vi.setConfig({ hookTimeout: 240_000, testTimeout: 120_000 });

const presentation = { locale: 'es-VE', currency: 'USD', howToPay: 'Transferencia' };
const LUIS = '584141112233';
const PASSWORD = 'correcto-caballo-bateria';
const T = Math.floor(Date.now() / 1000) - 3600; // seconds: the customer's messages, one a minute from an hour ago

async function answer(database: Database): Promise<void> {
  const worker = new BotWorker(database, { presentation, today: () => '2026-11-25' });
  while ((await worker.runOnce()) > 0);
}

describeEachDatabase('a conversation’s thread', ({ fresh }) => {
  const ctx = useMigratedApp(fresh);
  let headers: { authorization: string };
  let carlaId = 0;
  const thread = async (query = '') => {
    const response = await ctx.app().inject({ url: `/api/v1/conversaciones/${LUIS}/mensajes${query}`, headers });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<ThreadPage>();
  };
  const byBody = (page: ThreadPage, body: string) => page.mensajes.find((m) => m.body === body) as ThreadMessage;

  beforeAll(async () => {
    const database = ctx.database();
    carlaId = await createAgent(database.kysely, database.support, {
      email: 'carla@example.com',
      nombre: 'Carla Rojas',
      password: PASSWORD,
      rol: 'agente',
    });
    const login = await ctx
      .app()
      .inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'carla@example.com', password: PASSWORD } });
    headers = { authorization: `Bearer ${login.json<{ token: string }>().token}` };
    const at = (minute: number) => String(T + minute * 60);
    await storePayload(
      database,
      notification(
        [
          { ...message.text('hola'), id: 'wamid.hola', timestamp: at(0) },
          { ...message.image('mi comprobante'), id: 'wamid.foto', timestamp: at(1) },
          { ...message.document('recibo.pdf'), id: 'wamid.doc', timestamp: at(2) },
          { ...message.listReply('saldo', 'Ver mi saldo'), id: 'wamid.lista', timestamp: at(3) },
          { ...message.reply('¿esto?', 'wamid.hola'), id: 'wamid.cita', timestamp: at(4) },
          { ...message.reaction('wamid.hola', '👍'), id: 'wamid.r1', timestamp: at(5) },
          { ...message.reaction('wamid.hola', '❤️'), id: 'wamid.r2', timestamp: at(6) },
          { ...message.reaction('wamid.foto', '😮'), id: 'wamid.r3', timestamp: at(7) },
          { ...message.reaction('wamid.foto', ''), id: 'wamid.r4', timestamp: at(8) },
        ],
        { from: LUIS },
      ),
    );
    await answer(database);
    // An agent's message, then a template, both later than the bot's replies.
    const sent = await ctx.app().inject({
      method: 'POST',
      url: '/api/v1/conversaciones-whatsapp/enviar-mensaje',
      headers,
      payload: { to_number: LUIS, message: 'le escribe Carla' },
    });
    expect(sent.statusCode, sent.body).toBe(201);
    await insertAgentMessage(database.kysely, database.support, {
      from: BUSINESS_NUMBER,
      to: LUIS,
      text: '[plantilla recordatorio_pago]',
      contenido: JSON.stringify({ kind: 'template', name: 'recordatorio_pago', language: 'es' }),
      clienteId: null,
      agenteId: null,
      at: new Date(Date.now() + 1000),
      messageType: 'template',
    });
    // The sender delivers in order, one per customer at a time: the bot's replies, then Carla's message
    // (which reaches Meta, and Meta then says it failed); the template stays pending.
    for (let carlaSent = false; !carlaSent;) {
      const due = await claimDue(database.kysely, database.support, 100, 60_000);
      if (due.length === 0) throw new Error("Carla's message was never due");
      for (const entry of due) {
        const carlas = (JSON.parse(entry.contenido) as { body?: string }).body === 'le escribe Carla';
        carlaSent ||= carlas;
        const wamid = carlas ? 'wamid.carla' : `wamid.enviado-${entry.conversacion_id}`;
        await markSent(database.kysely, database.support, [{ entry, wamid, recipient: LUIS }]);
      }
    }
    await storePayload(
      database,
      notification([], {
        statuses: [
          status('wamid.carla', 'failed', T + 3600, [
            { code: 131026, title: 'Message undeliverable', error_data: { details: 'Receiver is incapable of receiving this message' } },
          ]),
        ],
      }),
    );
  });

  it('shows both directions oldest first, with authors, media, choices, quotes and reactions on their target', async () => {
    const page = await thread();
    const bodies = page.mensajes.map((m) => m.body);
    expect(page.mensajes.every((m) => m.message_type !== 'reaction')).toBe(true);
    expect(bodies.slice(0, 5)).toEqual(['hola', 'mi comprobante', '[documento] recibo.pdf', 'Ver mi saldo', '¿esto?']);
    expect(bodies.slice(-2)).toEqual(['le escribe Carla', '[plantilla recordatorio_pago]']);
    expect(page.cursor_anterior).toBeNull();
    expect(page.cursor_siguiente).toBeNull();
    const hola = byBody(page, 'hola');
    expect(hola).toMatchObject({ autor: 'cliente', direccion: 'INBOUND', agente: null, status: null, media: null });
    expect(hola.reacciones).toEqual([{ emoji: '❤️', autor: 'cliente', timestamp: new Date((T + 360) * 1000).toISOString() }]);
    expect(byBody(page, 'mi comprobante')).toMatchObject({
      media: { media_id: 'media-img-1', media_mime_type: 'image/jpeg', filename: null, caption: 'mi comprobante' },
      reacciones: [], // taken back
    });
    expect(byBody(page, '[documento] recibo.pdf').media).toEqual({
      media_id: 'media-doc-1',
      media_mime_type: 'application/pdf',
      filename: 'recibo.pdf',
      caption: null,
    });
    expect(byBody(page, 'Ver mi saldo').respuesta_interactiva).toEqual({ id: 'saldo', title: 'Ver mi saldo' });
    expect(byBody(page, '¿esto?').contexto).toEqual({ message_id: 'wamid.hola', id: hola.id, direccion: 'INBOUND', body: 'hola' });
    const bot = page.mensajes.filter((m) => m.direccion === 'OUTBOUND' && m.autor === 'bot');
    expect(bot.length).toBeGreaterThan(0);
    expect(bot.every((m) => m.agente === null && m.envio === 'enviado' && m.status === null)).toBe(true);
    expect(byBody(page, 'le escribe Carla')).toMatchObject({
      autor: 'agente',
      agente: { id: carlaId, nombre: 'Carla Rojas' },
      status: 'failed',
      envio: 'enviado',
      error: { code: 131026, title: 'Message undeliverable: Receiver is incapable of receiving this message' },
    });
    expect(byBody(page, '[plantilla recordatorio_pago]')).toMatchObject({
      autor: 'plantilla',
      message_type: 'template',
      envio: 'pendiente',
      error: null,
    });
  });

  it('pages back with antes, forward with despues, and around a message with alrededor, without duplicates or gaps', async () => {
    const all = (await thread('?limite=100')).mensajes.map((m) => m.id);
    expect(all.length).toBeGreaterThan(8);
    const back: number[] = [];
    let page = await thread('?limite=3');
    back.unshift(...page.mensajes.map((m) => m.id));
    while (page.cursor_anterior) {
      page = await thread(`?limite=3&antes=${page.cursor_anterior}`);
      back.unshift(...page.mensajes.map((m) => m.id));
    }
    expect(back).toEqual(all);
    const middle = all[4] as number;
    const around = await thread(`?limite=5&alrededor=${middle}`);
    expect(around.mensajes.map((m) => m.id)).toEqual(all.slice(2, 7));
    expect(around.cursor_anterior).not.toBeNull();
    expect(around.cursor_siguiente).not.toBeNull();
    const forward = [...around.mensajes.map((m) => m.id)];
    let next = around.cursor_siguiente;
    while (next) {
      const more = await thread(`?limite=2&despues=${next}`);
      forward.push(...more.mensajes.map((m) => m.id));
      next = more.cursor_siguiente;
    }
    expect(forward).toEqual(all.slice(2));
    const older = await thread(`?limite=5&antes=${around.cursor_anterior}`);
    expect(older.mensajes.map((m) => m.id)).toEqual(all.slice(0, 2));
    expect(older.cursor_anterior).toBeNull();
  });

  it('answers 400 for a bad cursor or two positions, 404 for an unknown number or a message of another thread', async () => {
    const get = (url: string) => ctx.app().inject({ url, headers });
    const base = `/api/v1/conversaciones/${LUIS}/mensajes`;
    for (const query of ['?antes=xyz', '?despues=bTA', '?limite=0', '?limite=101', '?antes=bTE&alrededor=1', '?alrededor=abc']) {
      const response = await get(`${base}${query}`);
      expect(response.statusCode, query).toBe(400);
      expect(response.json<{ error: { code: string } }>().error.code).toBe('HTTP_BAD_REQUEST');
    }
    expect((await get('/api/v1/conversaciones/584149999999/mensajes')).statusCode).toBe(404);
    expect((await get(`${base}?alrededor=999999`)).statusCode).toBe(404);
    expect((await ctx.app().inject({ url: base })).statusCode).toBe(401);
  });
});
