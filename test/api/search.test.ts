import { sql } from 'kysely';
import { expect, it } from 'vitest';
import type { CustomerSearch } from '../../src/api/customers.schemas.js';
import type { SearchResult } from '../../src/api/search.schemas.js';
import { messagesMatchingQuery } from '../../src/api/search.repository.js';
import { searchWords } from '../../src/db/text-search.js';
import type { Database } from '../../src/db/database.js';
import type { ErrorBody } from '../../src/http/error-handler.js';
import { bearer } from '../helpers/auth.js';
import { seedCustomer, seedCustomers } from '../helpers/customers.js';
import { insertMessages } from '../helpers/messages.js';
import { migratorFor } from '../helpers/migrations.js';
import { describeEachDatabase } from '../helpers/test-database.js';
import { useMigratedApp } from '../helpers/webhook.js';

const ANA = '584121234567';
const JOSE = '584247654321';
const CARLOS = '584169998877';
const BUSINESS = '15550001234';
const MINUTE = 60_000;
const start = Date.UTC(2026, 10, 20, 12);

/**
 * Ana María Pérez (V-12345678, 0412-1234567) and José Núñez (E-8.765.432, 0424-7654321) with their
 * conversations; Carlos Gómez, whom no customer has, only by his WhatsApp profile name; 25 customers
 * called "Cliente N" for the limit. Messages in both directions.
 */
async function seed(database: Database): Promise<void> {
  await seedCustomer(database);
  await seedCustomer(database, { cliente: { id: 8, nombres: 'José Núñez', cedula: 'E-8.765.432', telefono: '0424-7654321' } });
  await seedCustomers(
    database,
    Array.from({ length: 25 }, (_, i) => ({ id: 100 + i, nombres: `Cliente ${i}`, cedula: `V-${5000000 + i}`, telefono: '' })),
  );
  await database.kysely
    .insertInto('whatsapp_conversaciones')
    .values([
      { wa_number: ANA, cliente_id: 7, ultimo_entrante_en: new Date(start + 10 * MINUTE) },
      { wa_number: JOSE, cliente_id: 8, ultimo_entrante_en: new Date(start + 20 * MINUTE) },
      { wa_number: CARLOS, profile_name: 'Carlos Gómez', ultimo_entrante_en: new Date(start + 30 * MINUTE) },
    ])
    .execute();
  const message = (i: number, from: string, body: string, outbound = false) => ({
    message_id: `wamid.s-${i}`,
    from_number: outbound ? BUSINESS : from,
    to_number: outbound ? from : BUSINESS,
    direccion: outbound ? ('OUTBOUND' as const) : ('INBOUND' as const),
    body,
    timestamp: new Date(start + i * MINUTE),
  });
  await insertMessages(
    database,
    message(1, ANA, 'Ya pagué la cuota de noviembre'),
    message(2, ANA, 'Gracias, revisaremos tu pago', true),
    message(3, JOSE, 'Envié la TRANSFERENCIA por pago móvil, referencia 00123'),
    message(
      4,
      CARLOS,
      '¿Cuánto debo? ' + 'Necesito saber el monto exacto para pagar hoy mismo. '.repeat(6) + 'Mi transferencia sale mañana.',
    ),
    message(5, JOSE, 'hola'),
  );
}

describeEachDatabase('the search', ({ fresh }) => {
  const ctx = useMigratedApp(fresh, seed);
  const find = async (q: string, extra = '') => {
    const response = await ctx.app().inject({
      method: 'GET',
      url: `/api/v1/buscar?q=${encodeURIComponent(q)}${extra}`,
      headers: await bearer(ctx.database()),
    });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<SearchResult>();
  };
  const numbers = (result: SearchResult) => result.conversaciones.map((c) => c.wa_number);

  it('finds a conversation by the cédula in any format', async () => {
    for (const q of ['V-12.345.678', '12345678', 'v12345678']) {
      expect((await find(q)).conversaciones, q).toEqual([
        { wa_number: ANA, cliente: { id: 7, nombres: 'Ana María Pérez' }, profile_name: null },
      ]);
    }
    expect(numbers(await find('8765432'))).toEqual([JOSE]);
  });

  it('finds a conversation by the phone in any format, or part of the number', async () => {
    for (const q of ['+58 424-765.43.21', '04247654321', '584247654321', '7654321']) expect(numbers(await find(q)), q).toEqual([JOSE]);
  });

  it("finds a conversation by the customer's name or the profile name, without case or accents", async () => {
    for (const q of ['jose nunez', 'NÚÑEZ', 'Jose']) expect(numbers(await find(q)), q).toEqual([JOSE]);
    expect(numbers(await find('perez ana'))).toEqual([ANA]);
    expect((await find('gomez')).conversaciones).toEqual([{ wa_number: CARLOS, cliente: null, profile_name: 'Carlos Gómez' }]);
  });

  it('finds messages by a word of their text, accents and case aside, newest first, with the thread to jump to', async () => {
    const result = await find('transferencia');
    expect(result.mensajes.map((m) => [m.wa_number, m.direccion])).toEqual([
      [CARLOS, 'INBOUND'],
      [JOSE, 'INBOUND'],
    ]);
    const [carlos, jose] = result.mensajes;
    expect(jose).toEqual({
      id: expect.any(Number) as unknown,
      wa_number: JOSE,
      direccion: 'INBOUND',
      body: 'Envié la TRANSFERENCIA por pago móvil, referencia 00123',
      timestamp: new Date(start + 3 * MINUTE).toISOString(),
    });
    // A long body comes as the part around the word found.
    expect(carlos?.body.length).toBeLessThanOrEqual(162);
    expect(carlos?.body).toMatch(/^….*transferencia sale mañana\.$/);
    // Accents and case do not matter; several words must all be there; an outbound message is found too.
    expect((await find('pague cuota')).mensajes.map((m) => m.body)).toEqual(['Ya pagué la cuota de noviembre']);
    expect((await find('cuanto debo')).mensajes.map((m) => m.wa_number)).toEqual([CARLOS]);
    expect((await find('revisaremos')).mensajes.map((m) => [m.wa_number, m.direccion])).toEqual([[ANA, 'OUTBOUND']]);
    // The last word may be a beginning, as typed.
    expect((await find('transf')).mensajes).toHaveLength(2);
    expect((await find('palabrainexistente')).mensajes).toEqual([]);
    expect((await find('transferencia', '&limite=1')).mensajes).toHaveLength(1);
  });

  it('looks up customers to link a number to: cédula, name, phone, at most 20', async () => {
    const headers = await bearer(ctx.database());
    const customers = async (q: string) => {
      const response = await ctx.app().inject({ method: 'GET', url: `/api/v1/clientes/buscar?q=${encodeURIComponent(q)}`, headers });
      expect(response.statusCode, response.body).toBe(200);
      return response.json<CustomerSearch>().clientes;
    };
    const ana = { id: 7, nombres: 'Ana María Pérez', cedula: 'V-12345678', telefono: '0412-1234567' };
    for (const q of ['V-12.345.678', '12345678', 'maria perez', 'ANA MARÍA', '0412 123 4567', '+584121234567'])
      expect(await customers(q), q).toEqual([ana]);
    expect((await customers('e-8765432')).map((c) => c.id)).toEqual([8]);
    expect(await customers('cliente')).toHaveLength(20);
    expect(await customers('nadie así')).toEqual([]);
  });

  it('answers 400 for an empty or too long text and a bad limit, 401 without credentials', async () => {
    const headers = await bearer(ctx.database());
    for (const url of [
      '/api/v1/buscar',
      '/api/v1/buscar?q=',
      '/api/v1/buscar?q=%20%20',
      `/api/v1/buscar?q=${'a'.repeat(101)}`,
      '/api/v1/buscar?q=hola&limite=0',
      '/api/v1/buscar?q=hola&limite=51',
      '/api/v1/buscar?q=hola&limite=muchos',
      '/api/v1/buscar?q=a%00b',
      '/api/v1/clientes/buscar',
      '/api/v1/clientes/buscar?q=',
      `/api/v1/clientes/buscar?q=${'a'.repeat(101)}`,
    ]) {
      const response = await ctx.app().inject({ method: 'GET', url, headers });
      expect(response.statusCode, url).toBe(400);
      expect(response.json<ErrorBody>().error.code, url).toBe('HTTP_BAD_REQUEST');
    }
    expect((await ctx.app().inject({ method: 'GET', url: '/api/v1/buscar?q=hola' })).statusCode).toBe(401);
    expect((await ctx.app().inject({ method: 'GET', url: '/api/v1/clientes/buscar?q=hola' })).statusCode).toBe(401);
  });
});

describeEachDatabase('the message search uses its full-text index', ({ fresh }) => {
  const ctx = useMigratedApp(fresh);

  it('EXPLAIN shows ix_conversaciones_whatsapp_body_texto on a table of 5,000 messages', async () => {
    const database = ctx.database();
    const words = ['cuota', 'saldo', 'pago', 'hola', 'gracias', 'transferencia', 'buenas', 'tardes', 'comprobante', 'banco'];
    const rows = Array.from({ length: 5000 }, (_, i) => ({
      message_id: `wamid.e-${i}`,
      from_number: `58412${String(i % 400).padStart(7, '0')}`,
      body: `${words[i % 10]} ${words[(i * 7) % 10]} mensaje número ${i}${i === 4321 ? ' zanahoria' : ''}`,
      timestamp: new Date(start + i * 1000),
    }));
    for (let i = 0; i < rows.length; i += 1000) await insertMessages(database, ...rows.slice(i, i + 1000));
    const family = database.support.supportsTransactionalDdl;
    await sql.raw(family ? 'analyze conversaciones_whatsapp' : 'analyze table conversaciones_whatsapp').execute(database.kysely);

    const query = messagesMatchingQuery(database.kysely, database.support, searchWords('zanahoria'), 20);
    expect(query).not.toBeNull();
    const plan = JSON.stringify(await query?.explain());
    expect(plan).toContain('ix_conversaciones_whatsapp_body_texto');
    expect((await query?.execute())?.map((m) => m.body)).toEqual(['saldo tardes mensaje número 4321 zanahoria']);
  });
});

describeEachDatabase('revision 20261127_03_busqueda_y_vinculos', ({ fresh }) => {
  it('leaves no drift at head (the full-text index read back as one), and its downgrade removes what it added', async () => {
    const database = await (await fresh()).open();
    try {
      const { migrator } = migratorFor(database);
      await migrator.upgrade('head');
      expect((await migrator.check()).drift).toEqual([]);
      const describe = (table: string) => database.support.introspector.describeTable(database.kysely, table);
      expect((await describe('conversaciones_whatsapp'))?.indexes).toContainEqual(
        expect.objectContaining({ name: 'ix_conversaciones_whatsapp_body_texto', columns: ['body'], fullText: true }) as unknown,
      );

      await migrator.downgrade('20261127_02_plantillas', { allowDataLoss: true });
      expect((await describe('conversaciones_whatsapp'))?.indexes.map((i) => i.name)).not.toContain(
        'ix_conversaciones_whatsapp_body_texto',
      );
      expect((await describe('whatsapp_conversaciones'))?.columns.map((c) => c.name)).not.toContain('vinculado_en');
      expect(await describe('whatsapp_vinculos')).toBeNull();
      expect((await migrator.check()).drift).toEqual([]);

      await migrator.upgrade('head');
      expect((await migrator.check()).drift).toEqual([]);
    } finally {
      await database.close();
    }
  });
});
