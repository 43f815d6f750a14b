import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CustomerPanel } from '../../src/api/customers.schemas.js';
import type { DatosPlantillaResponse } from '../../src/api/templates.schemas.js';
import { botTextsFrom } from '../../src/bot/bot-texts.js';
import { DEFAULT_TEXTS, type Presentation } from '../../src/bot/replies.js';
import type { Database } from '../../src/db/database.js';
import type { ErrorBody } from '../../src/http/error-handler.js';
import { saveSyncedTemplates } from '../../src/templates/templates.repository.js';
import { BotWorker } from '../../src/worker/bot-worker.js';
import { bearer } from '../helpers/auth.js';
import { cuota, prestamo, seedCustomer } from '../helpers/customers.js';
import { message, notification, type Message } from '../helpers/payloads.js';
import { charlaProcess } from '../helpers/processes.js';
import { describeEachDatabase } from '../helpers/test-database.js';
import { deliver, useMigratedApp } from '../helpers/webhook.js';

/**
 * What the bot understands and does (docs/bot.md, issue 13), through the real webhook: each
 * message is posted signed to /api/v1/whatsapp/webhook, the bot worker answers it, and the test
 * reads what the customer was sent, what the agents were left (whatsapp_notas, the handoff log)
 * and the conversation's state. The lender's today is Wednesday 25 November 2026.
 */

const TODAY = '2026-11-25';
const presentation: Presentation = { locale: 'es-VE', currency: 'USD', howToPay: 'Transferencia a la cuenta 0102-0000-00-0000000000' };

/** Customers of the tests, one phone each so that no test sees another's conversation. */
const CUSTOMERS = [
  { id: 7, nombres: 'Ana María Pérez', telefono: '0412-1234567', cedula: 'V-12345678' },
  { id: 8, nombres: 'Luis Rojas', telefono: '0414-2000001', cedula: 'V-17171717' },
  { id: 9, nombres: 'Carmen Díaz', telefono: '0414-2000002', cedula: 'V-9999001' },
  { id: 10, nombres: 'José Pérez', telefono: '0414-2000003', cedula: 'V-9999002' },
  { id: 11, nombres: 'Rosa Mora', telefono: '0414-2000004', cedula: 'V-9999003' },
  { id: 12, nombres: 'Pedro Gil', telefono: '0414-2000005', cedula: 'V-9999004' },
  { id: 13, nombres: 'Elena Paz', telefono: '0414-2000006', cedula: 'V-9999005' },
  { id: 14, nombres: 'Raúl Díaz', telefono: '0414-2000007', cedula: 'V-9999006' },
  { id: 15, nombres: 'Inés Rivas', telefono: '0414-2000008', cedula: 'V-9999007' },
  { id: 16, nombres: 'Tomás Ávila', telefono: '0414-2000009', cedula: 'V-9999008' },
] as const;
/** The WhatsApp number of a customer above. */
const number = (id: (typeof CUSTOMERS)[number]['id']): string => {
  const phone = CUSTOMERS.find((c) => c.id === id)?.telefono as string;
  return `58${phone.replace(/\D/g, '').slice(1)}`;
};

/** Each customer owes 600.00 of one loan: instalment 1 (300.00) overdue since 1 November, instalment 2 due 1 December. */
async function seed(database: Database): Promise<void> {
  for (const customer of CUSTOMERS) {
    await seedCustomer(database, {
      cliente: { ...customer, fecha_nacimiento: '1990-05-17' },
      prestamos: [
        prestamo({
          id: customer.id * 10,
          total_financiamiento: '600.00',
          numero_cuotas: 2,
          cuotas: [cuota(1, '2026-11-01', '300.00', '0.00', 'ATRASADO'), cuota(2, '2026-12-01', '300.00', '0.00', 'PENDIENTE')],
        }),
      ],
    });
  }
}

describeEachDatabase('the bot understands customers, through the webhook', ({ fresh }) => {
  const { database, app } = useMigratedApp(fresh, seed);
  let sentAt = 1_764_000_000;

  /**
   * Posts `messages` from `from` to the webhook, one notification each, lets the bot answer, and
   * returns what it answered to each (null: no reply), in order.
   */
  async function customerSends(from: string, texts: Presentation['texts'] | undefined, ...messages: (string | Message)[]) {
    const worker = new BotWorker(database(), { presentation: { ...presentation, ...(texts ? { texts } : {}) }, today: () => TODAY });
    const ids: string[] = [];
    for (const m of messages) {
      const payload = notification([{ ...(typeof m === 'string' ? message.text(m) : m), timestamp: String(sentAt++) }], { from });
      ids.push(payload.entry[0]?.changes[0]?.value.messages?.[0]?.id as string);
      expect((await deliver(app(), payload)).statusCode).toBe(200);
      while ((await worker.runOnce()) > 0);
    }
    const rows = await database()
      .kysely.selectFrom('conversaciones_whatsapp as i')
      .leftJoin('conversaciones_whatsapp as o', 'o.id', 'i.respuesta_id')
      .select(['i.id', 'i.message_id', 'i.procesado', 'o.body', 'o.message_type'])
      .where('i.message_id', 'in', ids)
      .execute();
    const byId = new Map(rows.map((r) => [r.message_id, r]));
    return ids.map((id) => {
      const row = byId.get(id);
      expect(row?.procesado).toBe(true);
      return { id: row?.id as number, reply: row?.body ?? null, type: row?.message_type ?? null };
    });
  }
  const says = async (from: string, ...messages: (string | Message)[]) =>
    (await customerSends(from, undefined, ...messages)).map((r) => r.reply);

  const conversation = (from: string) =>
    database().kysely.selectFrom('whatsapp_conversaciones').selectAll().where('wa_number', '=', from).executeTakeFirstOrThrow();
  const notes = (from: string) =>
    database()
      .kysely.selectFrom('whatsapp_notas')
      .select(['entrante_id', 'tipo', 'valor', 'texto'])
      .where('wa_number', '=', from)
      .orderBy('id')
      .execute();
  const handoffs = (from: string) =>
    database().kysely.selectFrom('whatsapp_traspasos').select(['hacia', 'motivo']).where('wa_number', '=', from).orderBy('id').execute();

  it('answers several questions of one message in one reply, in the order asked', async () => {
    const [first, second] = await says(
      number(7),
      'buenas, cuanto debo en total y cuando vence la proxima cuota?',
      'CUANDO VENCE LA PROXIMA Y CUANTO ES LO QUE DEBO TODO',
    );
    expect(first).toMatch(
      /^¡Hola, Ana! Tu saldo pendiente es de \*.*600,00\*.*\n\nTu próxima cuota es la \*N° 2\*, vence el \*1 de diciembre de 2026\*/s,
    );
    const next = second?.indexOf('Tu próxima cuota') ?? -1;
    const balance = second?.indexOf('Tu saldo pendiente') ?? -1;
    expect(next).toBeGreaterThanOrEqual(0);
    expect(balance).toBeGreaterThan(next);
  });

  it('asks for the receipt or the reference of a claimed payment, and notes a reference for the agents', async () => {
    const from = number(8);
    const [claimed, reference] = await customerSends(from, undefined, 'ya pague la cuota de noviembre', 'ref 0102938475');
    expect(claimed?.reply).toMatch(/comprobante o el número de referencia/);
    expect((await conversation(from)).comprobante_pendiente).toBeTruthy();
    expect(reference?.reply).toMatch(/Anoté la referencia 0102938475/);
    const [typed] = await customerSends(from, undefined, 'hice un pago movil de 50$, referencia 004512789');
    expect(typed?.reply).toMatch(/Anoté la referencia 004512789/);
    expect(await notes(from)).toEqual([
      { entrante_id: reference?.id, tipo: 'referencia_pago', valor: '0102938475', texto: '0102938475' },
      { entrante_id: typed?.id, tipo: 'referencia_pago', valor: '004512789', texto: '004512789' },
    ]);
    // The agents see them in the conversation's customer panel, newest first.
    const panel = await app().inject({ method: 'GET', url: `/api/v1/conversaciones/${from}/cliente`, headers: await bearer(database()) });
    expect(panel.json<CustomerPanel>().notas_bot.map((n) => [n.tipo, n.valor, n.entrante_id])).toEqual([
      ['referencia_pago', '004512789', typed?.id],
      ['referencia_pago', '0102938475', reference?.id],
    ]);
  });

  it('asks a customer who cannot pay when they could, then hands them to an agent with that day noted', async () => {
    const from = number(9);
    const [asked, answered, after] = await customerSends(
      from,
      undefined,
      'no voy a poder pagar esta cuota, me quede sin trabajo',
      'el viernes',
      'hola?',
    );
    expect(asked?.reply).toMatch(/¿Para qué fecha podrías hacer el pago\?/);
    expect(answered?.reply).toMatch(/Anoté que podrías pagar el viernes, 27 de noviembre\. Un asesor/);
    expect(after?.reply).toBeNull();
    expect(await conversation(from)).toMatchObject({ modo: 'agente', pregunta_pendiente: null });
    expect(await notes(from)).toEqual([{ entrante_id: answered?.id, tipo: 'fecha_pago', valor: '2026-11-27', texto: 'el viernes' }]);
    expect(await handoffs(from)).toEqual([{ hacia: 'agente', motivo: 'bot' }]);
  });

  it('hands over at once a customer who cannot pay and names the day in the same message', async () => {
    const from = number(10);
    const [reply] = await says(from, 'necesito mas tiempo chamo, puedo pagar el 15 de diciembre');
    expect(reply).toMatch(/Anoté que podrías pagar el martes, 15 de diciembre/);
    expect((await conversation(from)).modo).toBe('agente');
    expect((await notes(from)).map((n) => [n.tipo, n.valor])).toEqual([['fecha_pago', '2026-12-15']]);
  });

  it('asks for text when sent a voice note or a video, and answers out-of-scope questions honestly with the menu', async () => {
    const from = number(11);
    const replies = await customerSends(from, undefined, message.voice(), message.video(), 'quien gano el juego de los leones anoche?');
    expect(replies[0]?.reply).toBe('Todavía no puedo escuchar audios ni ver videos, ¿me lo escribes? ✍️');
    expect(replies[1]?.reply).toBe(replies[0]?.reply);
    expect(replies[2]?.reply).toMatch(
      /^Eso no lo puedo responder: solo sé de tus préstamos, cuotas y pagos\.\n\nElige una opción:\n1\. Saldo pendiente/,
    );
    expect(replies[2]?.type).toBe('interactive');
    expect((await conversation(from)).modo).toBe('bot');
  });

  it('offers an agent after two messages in a row it does not understand, and hands over when the customer takes it', async () => {
    const from = number(12);
    const [first, second, taken] = await customerSends(
      from,
      undefined,
      'zxcvb pluf',
      'qwrtp mnbvc',
      message.buttonReply('menu_agente', 'Hablar con un asesor'),
    );
    expect(first?.reply).toMatch(/^No estoy seguro de haber entendido\. Elige una opción:/);
    expect(second?.reply).toMatch(/^Sigo sin entenderte.*¿Quieres que te atienda una persona\?/);
    expect(second?.type).toBe('interactive');
    expect(taken?.reply).toMatch(/Te comunico con un asesor/);
    expect(await conversation(from)).toMatchObject({ modo: 'agente', no_entendidos: 0 });
  });

  it('takes a typed yes to the offer of a person as taking it, and a no as declining it', async () => {
    const yes = number(15);
    const [, offered, taken] = await says(yes, 'zxcvb pluf', 'qwrtp mnbvc', 'Sí, por favor');
    expect(offered).toMatch(/¿Quieres que te atienda una persona\?/);
    expect(taken).toMatch(/Te comunico con un asesor/);
    expect(await conversation(yes)).toMatchObject({ modo: 'agente', no_entendidos: 0 });
    expect(await handoffs(yes)).toEqual([{ hacia: 'agente', motivo: 'bot' }]);

    const no = number(16);
    const [, , declined, later] = await says(no, 'zxcvb pluf', 'qwrtp mnbvc', 'no gracias', 'si');
    expect(declined).toMatch(/^De acuerdo\. Cuando quieras, elige una opción:/);
    expect(await handoffs(no)).toEqual([]);
    // No offer pending any more: a bare yes answers nothing.
    expect(later).toMatch(/^No estoy seguro de haber entendido/);
    expect(await conversation(no)).toMatchObject({ modo: 'bot', no_entendidos: 1 });
  });

  it('does not offer an agent when the messages not understood are not in a row', async () => {
    const from = number(13);
    const replies = await says(from, 'zxcvb pluf', 'cuanto debo', 'qwrtp mnbvc');
    expect(replies[2]).toMatch(/^No estoy seguro de haber entendido/);
    expect((await conversation(from)).no_entendidos).toBe(1);
  });

  it('hands a complaint to an agent, and records a request for no more messages for the agents', async () => {
    const angry = number(14);
    const [complaint] = await says(angry, 'esto es un robo, me cobraron la mora dos veces y nadie me responde!!');
    expect(complaint).toMatch(/Lamento mucho lo ocurrido/);
    expect(await handoffs(angry)).toEqual([{ hacia: 'agente', motivo: 'bot' }]);
    const stranger = '584261110000';
    const [stop] = await says(stranger, 'no me escriban mas por favor');
    expect(stop).toMatch(/no te escribiremos más/);
    expect((await notes(stranger)).map((n) => n.tipo)).toEqual(['baja']);
  });

  it('sends no template to a customer who asked for no more messages, and tells the agents why', async () => {
    const [optedOut, other] = ['584261110001', '584261110002'];
    await says(optedOut, 'NO ME ESCRIBAN MAS, dejen de molestar');
    await says(other, 'hola');
    const headers = await bearer(database());
    const body = [{ type: 'BODY', text: 'Hola {{1}}, te recordamos tu cuota.' }];
    const approved = { nombre: 'aviso_cuota', idioma: 'es', categoria: 'UTILITY', estado: 'APPROVED', meta_id: null };
    await saveSyncedTemplates(database().kysely, database().support, [{ ...approved, componentes: JSON.stringify(body) }], new Date());
    const template = { nombre: 'aviso_cuota', idioma: 'es', parametros: ['Ana'] };
    const outbound = async (to: string) =>
      (await database().kysely.selectFrom('conversaciones_whatsapp').select('id').where('to_number', '=', to).execute()).length;
    const before = await outbound(optedOut);

    const refused = await app().inject({ method: 'POST', url: `/api/v1/conversaciones/${optedOut}/plantilla`, headers, payload: template });
    expect(refused.statusCode, refused.body).toBe(409);
    expect(refused.json<ErrorBody>().error.code).toBe('CUSTOMER_OPTED_OUT');
    expect(refused.json<ErrorBody>().detail).toMatch(/pidió que no le escribamos/);
    expect(await outbound(optedOut)).toBe(before);
    const data = await app().inject({ url: `/api/v1/conversaciones/${optedOut}/datos-plantilla`, headers });
    expect(Date.parse(data.json<DatosPlantillaResponse>().baja_en ?? '')).not.toBeNaN();

    // Another number, the same template: sent.
    const sent = await app().inject({ method: 'POST', url: `/api/v1/conversaciones/${other}/plantilla`, headers, payload: template });
    expect(sent.statusCode, sent.body).toBe(201);
    const otherData = await app().inject({ url: `/api/v1/conversaciones/${other}/datos-plantilla`, headers });
    expect(otherData.json<DatosPlantillaResponse>().baja_en).toBeNull();
    // Nothing to lift for a number that never asked.
    expect((await app().inject({ method: 'DELETE', url: `/api/v1/conversaciones/${other}/baja`, headers })).statusCode).toBe(404);
  });

  it('lets an agent lift a request for no more messages when the customer agrees again; a new request holds again', async () => {
    const from = '584261110003';
    await says(from, 'no me escriban mas');
    const headers = await bearer(database());
    await saveSyncedTemplates(
      database().kysely,
      database().support,
      [
        {
          nombre: 'aviso_cuota',
          idioma: 'es',
          categoria: 'UTILITY',
          estado: 'APPROVED',
          meta_id: null,
          componentes: '[{"type":"BODY","text":"Hola {{1}}"}]',
        },
      ],
      new Date(),
    );
    const send = () =>
      app().inject({
        method: 'POST',
        url: `/api/v1/conversaciones/${from}/plantilla`,
        headers,
        payload: { nombre: 'aviso_cuota', idioma: 'es', parametros: ['Ana'] },
      });
    expect((await send()).statusCode).toBe(409);
    expect((await app().inject({ method: 'DELETE', url: `/api/v1/conversaciones/${from}/baja` })).statusCode).toBe(401);

    const lifted = await app().inject({ method: 'DELETE', url: `/api/v1/conversaciones/${from}/baja`, headers });
    expect(lifted.statusCode, lifted.body).toBe(204);
    expect((await send()).statusCode).toBe(201);
    // The agents see who lifted it, after the request itself.
    const panel = await app().inject({ url: `/api/v1/conversaciones/${from}/cliente`, headers });
    expect(panel.json<CustomerPanel>().notas_bot.map((n) => n.tipo)).toEqual(['alta', 'baja']);
    expect((await app().inject({ method: 'DELETE', url: `/api/v1/conversaciones/${from}/baja`, headers })).statusCode).toBe(404);

    await says(from, 'STOP');
    expect((await send()).statusCode).toBe(409);
  });

  it.each([
    ['17/05/1990', '584161000001'],
    ['17-5-90', '584161000002'],
    ['17 de mayo de 1990', '584161000003'],
    ['mayo 17 1990', '584161000004'],
    ['diecisiete de may del 90', '584161000005'],
  ])('verifies an unknown number with the date of birth written %s', async (birthDate, from) => {
    const replies = await says(from, 'hola, cuanto debo?', 'mi cedula es V-17.171.717', birthDate, 'cuanto debo?');
    expect(replies[0]).toMatch(/¿Cuál es tu número de cédula\?/);
    expect(replies[1]).toMatch(/fecha de nacimiento/);
    expect(replies[2]).toMatch(/^¡Gracias, Luis! Ya verifiqué tu identidad/);
    expect(replies[3]).toMatch(/Tu saldo pendiente es de \*.*600,00\*/);
    expect(replies.slice(0, 3).join('\n')).not.toMatch(/600|300/);
  });

  it('keeps the security rules: no figure to an unverified number, three failed verifications hand over', async () => {
    const from = '584161000009';
    const replies = await says(
      from,
      'cuanto debo y cuando vence mi cuota? ya pague ref 0102938475',
      'V-17171717',
      '01/01/1990',
      '02/01/1990',
      '03/01/1990',
      'cuanto debo',
    );
    expect(replies.join('\n')).not.toMatch(/600|300|saldo pendiente es|Anoté/);
    expect(replies[4]).toMatch(/Por tu seguridad no puedo seguir con la verificación/);
    expect(replies[5]).toBeNull();
    expect(await conversation(from)).toMatchObject({ modo: 'agente', cliente_id: null });
    expect(await notes(from)).toEqual([]);
  });

  it("speaks the lender's own words from BOT_TEXTS_FILE's texts", async () => {
    const texts = botTextsFrom({ voiceNote: 'Por ahora solo leo texto.', greeting: '¡Epa, {nombre}! ¿Qué necesitas?' });
    const [voice, hello] = await customerSends('584121234567', texts, message.voice(), 'buenas');
    expect(voice?.reply).toBe('Por ahora solo leo texto.');
    expect(hello?.reply).toMatch(/^¡Epa, Ana! ¿Qué necesitas\?\n1\. Saldo pendiente/);
  });
});

describe("the bot's texts from BOT_TEXTS_FILE", () => {
  it('refuses a key the bot does not have, an empty text and a placeholder it cannot fill, naming each', () => {
    expect(() => botTextsFrom({ gracias: 'x', thanks: '', voiceNote: 'Hola {nombre}' })).toThrow(
      /"gracias" is not one of the bot's texts[\s\S]*"thanks" must be a non-empty string[\s\S]*"voiceNote" uses \{nombre\}, which it cannot fill/,
    );
    expect(() => botTextsFrom(['thanks'])).toThrow(/must hold a JSON object/);
  });

  it('docs/bot.md lists every text a lender can replace, and no other', () => {
    const docs = readFileSync(path.resolve(import.meta.dirname, '../../docs/bot.md'), 'utf8');
    const listed = /The keys: ([^.]+)\./
      .exec(docs.replace(/\s+/g, ' '))?.[1]
      ?.match(/`(\w+)`/g)
      ?.map((k) => k.slice(1, -1));
    expect(listed).toEqual(Object.keys(DEFAULT_TEXTS));
  });

  it('stops `charla start` before it listens when the file is wrong, naming the problem', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'charla-texts-'));
    try {
      const file = path.join(folder, 'textos.json');
      writeFileSync(file, JSON.stringify({ gracias: '¡A la orden!' }));
      const run = await charlaProcess(`pglite:${path.join(folder, 'data')}`, ['start'], {
        BOT_TEXTS_FILE: file,
        PORT: '0',
        WHATSAPP_APP_SECRET: 'x',
      });
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/CONFIG_INVALID[\s\S]*"gracias" is not one of the bot's texts/);
      expect(run.stdout).not.toMatch(/listening on/);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
