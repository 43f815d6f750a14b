import type { Insertable } from 'kysely';
import { expect, it, vi } from 'vitest';
import type { MessageRow } from '../../src/api/message-row.js';
import { senderFilterService } from '../../src/api/sender-filter.service.js';
import { refreshSenderNumbers } from '../../src/api/sender-numbers.repository.js';
import type { Database } from '../../src/db/database.js';
import type { ConversacionesWhatsappTable } from '../../src/db/tables.js';
import type { ErrorBody } from '../../src/http/error-handler.js';
import { bearer } from '../helpers/auth.js';
import { seedCustomer } from '../helpers/customers.js';
import { insertMessages } from '../helpers/messages.js';
import { describeEachDatabase } from '../helpers/test-database.js';
import { useMigratedApp } from '../helpers/webhook.js';
import { READ_BY_THE_ORIGINAL_PAGE } from '../helpers/rows.js';

// Migrating a fresh database to head takes a minute on a loaded shared machine.
vi.setConfig({ hookTimeout: 240_000, testTimeout: 120_000 });

const API = '/api/v1/conversaciones-whatsapp';
const ANA = '584121234567'; // customer 5
const LUIS = '584241112233';
const MARIA = '584141234560';
const PEDRO = '573001234567'; // Colombia
const BUSINESS = '15550001234'; // our number: every OUTBOUND row
const SECOND = 1000;
const HOUR = 3600 * SECOND;

/** The original's listing: what its page reads. */
interface Listing {
  conversaciones: MessageRow[];
  paginacion: { page: number | null; per_page: number; total: number; pages: number; next_cursor: string | null };
}

/** Whole seconds (MySQL's DATETIME keeps no fractions), one apart, so the newest-first order is plain. */
let clock = Math.floor((Date.now() - 3 * HOUR) / SECOND) * SECOND;
const tick = (): Date => new Date((clock += SECOND));

type Row = Partial<Insertable<ConversacionesWhatsappTable>>;

const inbound = (from: string, body: string, extra: Row = {}): Row => ({
  from_number: from,
  to_number: BUSINESS,
  direccion: 'INBOUND',
  body,
  timestamp: tick(),
  ...extra,
});
const outbound = (to: string, body: string, extra: Row = {}): Row => ({
  from_number: BUSINESS,
  to_number: to,
  direccion: 'OUTBOUND',
  body,
  timestamp: tick(),
  respuesta_enviada: true,
  ...extra,
});

/**
 * Ana (customer 5) and the business's replies to her, Luis, María, Pedro, and a user known only by
 * BSUID (no number). Written two hours ago (`creado_en`), so a refresh of the senders' cut takes them.
 */
async function seed(database: Database): Promise<void> {
  await seedCustomer(database, { cliente: { id: 5, telefono: '0412-123.45.67' } });
  const early = { creado_en: new Date(Date.now() - 2 * HOUR) };
  const rows: Row[] = [];
  for (let i = 0; i < 6; i++) {
    rows.push(inbound(ANA, `ana ${i}`, { cliente_id: 5, ...early }));
    if (i < 4) rows.push(outbound(ANA, `respuesta ${i}`, { cliente_id: 5, respuesta_bot: `respuesta ${i}`, ...early }));
  }
  for (let i = 0; i < 3; i++) rows.push(inbound(LUIS, `luis ${i}`, early));
  for (let i = 0; i < 2; i++) rows.push(inbound(MARIA, `maria ${i}`, { ...early, error: i === 0 ? 'media expired' : null }));
  rows.push(inbound(PEDRO, 'pedro', early), inbound('', 'sin número', early));
  await insertMessages(database, ...rows);
}

describeEachDatabase('filtering the listing by part of a number (the original filter box)', ({ fresh }) => {
  const ctx = useMigratedApp(fresh, seed);
  const get = async (query: string) => ctx.app().inject({ url: `${API}?${query}`, headers: await bearer(ctx.database()) });
  const list = async (query: string): Promise<Listing> => {
    const response = await get(query);
    expect(response.statusCode, `${query}: ${response.body}`).toBe(200);
    return response.json<Listing>();
  };

  /** The oracle: every stored row, filtered in JavaScript as the original's LIKE %digits% would, newest first. */
  async function expected(digits: string, filter: { direccion?: string; clienteId?: number } = {}): Promise<number[]> {
    const rows = await ctx
      .database()
      .kysely.selectFrom('conversaciones_whatsapp')
      .select(['id', 'from_number', 'direccion', 'cliente_id', 'timestamp'])
      .execute();
    return rows
      .filter((r) => r.from_number.includes(digits))
      .filter((r) => filter.direccion === undefined || r.direccion === filter.direccion)
      .filter((r) => filter.clienteId === undefined || r.cliente_id === filter.clienteId)
      .sort((a, b) => b.timestamp.getTime() - a.timestamp.getTime() || b.id - a.id)
      .map((r) => r.id);
  }

  /** One keystroke's request: 200, the rows containing the digits newest first, the original's total and pages. */
  async function typed(text: string, digits: string, perPage = 100): Promise<Listing> {
    const body = await list(`from_number=${encodeURIComponent(text)}&per_page=${perPage}`);
    const ids = await expected(digits);
    expect(body.paginacion, text).toMatchObject({ page: 1, per_page: perPage, total: ids.length, pages: Math.ceil(ids.length / perPage) });
    expect(
      body.conversaciones.map((r) => r.id),
      text,
    ).toEqual(ids.slice(0, perPage));
    for (const row of body.conversaciones) expect(row.from_number, text).toContain(digits);
    return body;
  }

  /** Every keystroke of `number`, from its first digit to the whole number. */
  const keystrokes = (number: string): string[] => Array.from({ length: number.length }, (_, i) => number.slice(0, i + 1));

  it('answers every keystroke of a number with 200 and the rows whose number contains the digits typed so far', async () => {
    const seen: number[] = [];
    for (const prefix of keystrokes(ANA)) seen.push((await typed(prefix, prefix)).paginacion.total);
    // 5: Ana, the business (whose number has 5s), Luis, María, Pedro; 58: not the business nor Pedro;
    // 5841: Ana and María; from 58412 on, Ana alone, up to her whole number.
    expect(seen).toEqual([16, 11, 11, 8, 6, 6, 6, 6, 6, 6, 6, 6]);
    const first = (await list('from_number=5&per_page=100')).conversaciones[0] as MessageRow;
    expect(Object.keys(first)).toEqual(expect.arrayContaining([...READ_BY_THE_ORIGINAL_PAGE]));
    // Digits in the middle of a number, as the original's LIKE %x%.
    expect((await typed('1234', '1234')).conversaciones.map((r) => r.from_number)).toEqual(
      expect.arrayContaining([ANA, MARIA, PEDRO, BUSINESS]),
    );
    await typed('2233', '2233');
    await typed('9999', '9999');
  });

  it('matches a whole number written in another format exactly, as before', async () => {
    for (const text of ['+58 412-123 4567', '04121234567', '0412-123.45.67', '4121234567']) {
      const body = await list(`from_number=${encodeURIComponent(text)}&per_page=100`);
      expect(body.paginacion.total, text).toBe(6);
      expect(new Set(body.conversaciones.map((r) => r.from_number)), text).toEqual(new Set([ANA]));
    }
    expect((await list(`from_number=${encodeURIComponent('0424-111.22.33')}`)).paginacion.total).toBe(3);
    // Formatting typed around part of a number is ignored: +58 41 is 5841.
    await typed('+58 41', '5841');
    await typed('(0001)-23', '000123');
  });

  it('answers 200 with no rows for text without digits, and every row for an empty box', async () => {
    for (const text of ['abc', 'ana', '-', '58abc', '*', '%']) {
      const body = await list(`from_number=${encodeURIComponent(text)}`);
      expect(body.conversaciones, text).toEqual([]);
      expect(body.paginacion, text).toMatchObject({ total: 0, pages: 0 });
    }
    const all = await list('from_number=&per_page=100');
    expect(all.paginacion.total).toBe((await expected('')).length);
    // Not storable text is still refused, with the reason.
    const nul = await get(`from_number=${encodeURIComponent('58\u0000')}`);
    expect(nul.statusCode).toBe(400);
    expect(nul.json<ErrorBody>().error.code).toBe('HTTP_BAD_REQUEST');
  });

  it('combines the part of a number with direccion and cliente_id', async () => {
    const outbound5 = await list('from_number=5&direccion=OUTBOUND&per_page=100');
    expect(outbound5.conversaciones.map((r) => r.id)).toEqual(await expected('5', { direccion: 'OUTBOUND' }));
    expect(outbound5.paginacion.total).toBe(4);
    expect(outbound5.conversaciones.every((r) => r.from_number === BUSINESS && r.respuesta_bot !== null)).toBe(true);
    const inbound1234 = await list('from_number=1234&direccion=INBOUND&per_page=100');
    expect(inbound1234.conversaciones.map((r) => r.id)).toEqual(await expected('1234', { direccion: 'INBOUND' }));
    expect(inbound1234.paginacion.total).toBe(9);
    const ana1234 = await list('from_number=1234&cliente_id=5&per_page=100');
    expect(ana1234.conversaciones.map((r) => r.id)).toEqual(await expected('1234', { clienteId: 5 }));
    expect(ana1234.paginacion.total).toBe(10);
    const anaOnly = await list('from_number=4121&cliente_id=5&direccion=INBOUND&per_page=100');
    expect(anaOnly.paginacion.total).toBe(6);
    expect(anaOnly.conversaciones.every((r) => r.from_number === ANA && r.cliente_id === 5)).toBe(true);
    expect((await list('from_number=4241&cliente_id=5')).paginacion.total).toBe(0);
  });

  it('pages by page number and by cursor through the same rows', async () => {
    const ids = await expected('58');
    const page2 = await list('from_number=58&per_page=4&page=2');
    expect(page2.paginacion).toMatchObject({ page: 2, per_page: 4, total: ids.length, pages: Math.ceil(ids.length / 4) });
    expect(page2.conversaciones.map((r) => r.id)).toEqual(ids.slice(4, 8));
    const byCursor: number[] = [];
    let cursor: string | null = null;
    do {
      const body: Listing = await list(`from_number=58&per_page=4${cursor ? `&cursor=${cursor}` : ''}`);
      byCursor.push(...body.conversaciones.map((r) => r.id));
      expect(body.paginacion.total).toBe(ids.length);
      cursor = body.paginacion.next_cursor;
    } while (cursor);
    expect(byCursor).toEqual(ids);
    // One row a page (the time index) and all on one (the numbers' index) agree.
    const oneByOne: number[] = [];
    for (let page = 1; page <= 3; page++)
      oneByOne.push(...(await list(`from_number=5&per_page=1&page=${page}`)).conversaciones.map((r) => r.id));
    expect(oneByOne).toEqual((await expected('5')).slice(0, 3));
  });

  it('counts messages older than the cut from the sender numbers and newer ones live, without counting any twice', async () => {
    const database = ctx.database();
    await list('from_number=5'); // starts the cut's first refresh, in the background
    await senderFilterService(database, console).settled();
    const cut = await database.kysely.selectFrom('whatsapp_cortes').selectAll().where('clave', '=', 'remitentes').executeTakeFirstOrThrow();
    const max = await database.kysely
      .selectFrom('conversaciones_whatsapp')
      .select((eb) => eb.fn.max('id').as('id'))
      .executeTakeFirstOrThrow();
    expect(cut.hasta_id).toBe(Number(max.id));
    const ana = await database.kysely.selectFrom('whatsapp_remitentes').selectAll().where('numero', '=', ANA).executeTakeFirstOrThrow();
    expect(ana).toMatchObject({ mensajes: 6, entrantes: 6, salientes: 0 });
    // New messages (the live part), one of them from a number never seen before.
    await insertMessages(
      database,
      inbound(ANA, 'ana otra vez', { cliente_id: 5 }),
      outbound(ANA, 'hola Ana'),
      inbound('584129990000', 'nuevo'),
    );
    for (const prefix of keystrokes(ANA)) await typed(prefix, prefix);
    await typed('9990', '9990');
    expect((await list('from_number=5&direccion=INBOUND')).paginacion.total).toBe((await expected('5', { direccion: 'INBOUND' })).length);
    // The cut moves over them (as if a minute had passed): the same answers.
    await refreshSenderNumbers(database.kysely, new Date(Date.now() + 5 * 60_000));
    await refreshSenderNumbers(database.kysely, new Date(Date.now() + 5 * 60_000)); // a second refresh adds nothing
    for (const prefix of keystrokes(ANA)) await typed(prefix, prefix);
    await typed('9990', '9990');
  });

  it('keeps exact totals and pages when hundreds of numbers match, in the cut or not', async () => {
    const database = ctx.database();
    // 600 numbers 58416777nnnn: more than the filter lists by number, so it walks the time index.
    const many = Array.from({ length: 600 }, (_, i) => inbound(`58416777${String(i).padStart(4, '0')}`, `muchos ${i}`));
    // Newer than all of them, messages that match none of the fragments below but 5.
    await insertMessages(database, ...many, inbound(LUIS, 'luis de nuevo'), inbound(LUIS, 'y otra vez'));
    for (const digits of ['5', '5841', '777', '7770', '58416777', '584167770599']) await typed(digits, digits, 50);
    const ids = await expected('777');
    expect((await list('from_number=777&per_page=50&page=3')).conversaciones.map((r) => r.id)).toEqual(ids.slice(100, 150));
    await refreshSenderNumbers(database.kysely, new Date(Date.now() + 5 * 60_000));
    for (const digits of ['5', '5841', '777', '7770', '58416777']) await typed(digits, digits, 50);
    expect((await list('from_number=777&per_page=50&page=3')).conversaciones.map((r) => r.id)).toEqual(ids.slice(100, 150));
  });
});
