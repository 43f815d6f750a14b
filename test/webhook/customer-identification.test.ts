import { beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { syncCustomerPhones } from '../../src/customers/customer-phone.repository.js';
import { normalizePhone, phonesOf } from '../../src/customers/phone-number.js';
import type { Database } from '../../src/db/database.js';
import { seedCustomers } from '../helpers/customers.js';
import { messageIds } from '../helpers/messages.js';
import { describeEachDatabase } from '../helpers/test-database.js';
import { message, notification } from '../helpers/payloads.js';
import { deliver, useMigratedApp } from '../helpers/webhook.js';

describe('phone numbers', () => {
  it("normalises every format the CRM holds to Meta's digits", () => {
    for (const raw of ['+584121234567', '04121234567', '412-1234567', '+58 412 1234567', '584121234567', '(0412) 123.45.67']) {
      expect(normalizePhone(raw, '58'), raw).toBe('584121234567');
    }
    expect(normalizePhone('16315551181', '58')).toBe('16315551181');
    expect(normalizePhone('sin teléfono', '58')).toBeNull();
    expect(phonesOf('0412-1234567 / +58 414 7654321', '58')).toEqual(['584121234567', '584147654321']);
    expect(phonesOf('04121234567/0412-1234567', '58')).toEqual(['584121234567']);
  });
});

describeEachDatabase('identifying the customer at ingest', ({ fresh }) => {
  const context = useMigratedApp(fresh, async (db) => {
    await seedCustomers(
      db,
      [
        { id: 1, cedula: 'V-11111111', nombres: 'Ana María Pérez', telefono: '0412-1234567 / +58 414 7654321' },
        { id: 2, cedula: 'V-22222222', nombres: 'José Rivas', telefono: '+58 424 5550001' },
        { id: 3, cedula: 'V-33333333', nombres: 'Carmen Rivas', telefono: '04245550001' },
      ],
      { syncPhones: false },
    );
    expect(await syncCustomerPhones(db.kysely, '58')).toMatchObject({ customers: 3, changed: 3 });
  });
  let database: Database;
  let app: FastifyInstance;
  beforeAll(() => {
    database = context.database();
    app = context.app();
  });

  const clienteOf = async (from: string) => {
    const payload = notification([message.text('hola')], { from });
    expect((await deliver(app, payload)).statusCode).toBe(200);
    const id = messageIds(payload)[0] ?? '';
    const row = await database.kysely
      .selectFrom('conversaciones_whatsapp')
      .select('cliente_id')
      .where('message_id', '=', id)
      .executeTakeFirstOrThrow();
    return row.cliente_id;
  };

  it('sets cliente_id when the number matches exactly one customer, any of their numbers', async () => {
    expect(await clienteOf('584121234567')).toBe(1);
    expect(await clienteOf('584147654321')).toBe(1);
  });

  it('leaves it empty for an unknown number and for a number two customers share', async () => {
    expect(await clienteOf('584169999999')).toBeNull();
    expect(await clienteOf('584245550001')).toBeNull();
  });

  it('follows changes to clientes.telefono after the next sync', async () => {
    await database.kysely.updateTable('clientes').set({ telefono: '0416-7770000' }).where('id', '=', 2).execute();
    await database.kysely.deleteFrom('clientes').where('id', '=', 3).execute();
    expect(await syncCustomerPhones(database.kysely, '58')).toMatchObject({ changed: 1, removed: 1 });
    expect(await clienteOf('584167770000')).toBe(2);
    expect(await clienteOf('584245550001')).toBeNull();
    expect(await syncCustomerPhones(database.kysely, '58')).toMatchObject({ changed: 0, removed: 0 });
  });
});
