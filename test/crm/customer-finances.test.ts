import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.js';
import { customerFinances } from '../../src/crm/customer-finance.repository.js';
import { formatDate, formatMoney } from '../../src/crm/money.js';
import { migratorFor } from '../helpers/migrations.js';
import { describeEachDatabase } from '../helpers/test-database.js';

describe('money and dates', () => {
  it('formats amounts and dates in the configured locale and currency', () => {
    expect(formatMoney(123450, 'es-VE', 'USD')).toMatch(/^(USD|US\$|\$)\s?1\.234,50$/);
    expect(formatMoney(4500, 'es-VE', 'VES')).toMatch(/45,00/);
    expect(formatDate('2026-03-04', 'es-VE')).toBe('4 de marzo de 2026');
  });
});

describeEachDatabase('a customer’s finances from the CRM tables', ({ fresh }) => {
  let database: Database;
  beforeAll(async () => {
    database = await (await fresh()).open();
    await migratorFor(database).migrator.upgrade('head');
    const db = database.kysely;
    await db
      .insertInto('clientes')
      .values({
        id: 7,
        cedula: 'V-12345678',
        nombres: 'Ana María Pérez',
        telefono: '04121234567',
        email: 'ana@example.com',
        direccion: 'Caracas',
        fecha_nacimiento: '1985-03-04',
        ocupacion: 'Docente',
      })
      .execute();
    await db
      .insertInto('prestamos')
      .values([
        { id: 70, cliente_id: 7, producto: 'Crédito personal', estado: 'APROBADO', total_financiamiento: '600.00', numero_cuotas: 6 },
        { id: 71, cliente_id: 7, producto: 'Crédito moto', estado: 'RECHAZADO', total_financiamiento: '2000.00', numero_cuotas: 2 },
      ])
      .execute();
    const cuota = (prestamo_id: number, numero_cuota: number, fecha_vencimiento: string, total_pagado: string, estado: string) => ({
      prestamo_id,
      numero_cuota,
      fecha_vencimiento,
      monto_cuota: '100.00',
      total_pagado,
      estado,
    });
    await db
      .insertInto('cuotas')
      .values([
        cuota(70, 1, '2026-08-01', '100.00', 'PAGADO'),
        cuota(70, 2, '2026-09-01', '100.00', 'PAGADO'),
        cuota(70, 3, '2026-10-01', '40.00', 'PARCIAL'),
        cuota(70, 4, '2026-11-01', '0.00', 'ATRASADO'),
        cuota(70, 5, '2026-12-01', '0.00', 'PENDIENTE'),
        cuota(70, 6, '2027-01-01', '0.00', 'PENDIENTE'),
        cuota(71, 1, '2026-10-15', '0.00', 'PENDIENTE'),
        cuota(71, 2, '2026-11-15', '0.00', 'PENDIENTE'),
      ])
      .execute();
    await db
      .insertInto('pagos')
      .values([
        {
          cliente_id: 7,
          prestamo_id: 70,
          numero_cuota: 1,
          fecha_pago: new Date('2026-08-01T14:00:00Z'),
          monto_pagado: '100.00',
          referencia_pago: 'REF-1',
        },
        {
          cliente_id: 7,
          prestamo_id: 70,
          numero_cuota: 2,
          fecha_pago: new Date('2026-09-02T14:00:00Z'),
          monto_pagado: '100.00',
          referencia_pago: 'REF-2',
        },
        {
          cliente_id: 7,
          prestamo_id: 70,
          numero_cuota: 3,
          fecha_pago: new Date('2026-10-05T14:00:00Z'),
          monto_pagado: '40.00',
          referencia_pago: 'REF-3',
        },
        {
          cliente_id: 7,
          prestamo_id: 70,
          numero_cuota: 3,
          fecha_pago: new Date('2026-07-01T14:00:00Z'),
          monto_pagado: '5.00',
          referencia_pago: 'OLD',
        },
      ])
      .execute();
  });
  afterAll(async () => database?.close());

  it('sums what is pending on running loans, finds the next instalment and the overdue ones with days late', async () => {
    const finances = await customerFinances(database.kysely, 7, '2026-11-25');
    // 60 (rest of #3) + 100 (#4) + 100 (#5) + 100 (#6); the rejected loan does not count.
    expect(finances.balanceCents).toBe(36000);
    expect(finances.nextInstalment).toEqual({ prestamoId: 70, numero: 5, dueDate: '2026-12-01', pendingCents: 10000, daysLate: 0 });
    expect(finances.overdue).toEqual([
      { prestamoId: 70, numero: 3, dueDate: '2026-10-01', pendingCents: 6000, daysLate: 55 },
      { prestamoId: 70, numero: 4, dueDate: '2026-11-01', pendingCents: 10000, daysLate: 24 },
    ]);
    expect(finances.loans).toEqual([
      {
        id: 70,
        producto: 'Crédito personal',
        estado: 'APROBADO',
        totalCents: 60000,
        pendingCents: 36000,
        instalments: 6,
        paidInstalments: 2,
      },
      { id: 71, producto: 'Crédito moto', estado: 'RECHAZADO', totalCents: 200000, pendingCents: 0, instalments: 2, paidInstalments: 0 },
    ]);
    expect(finances.lastPayments.map((p) => [p.date.toISOString().slice(0, 10), p.amountCents, p.reference])).toEqual([
      ['2026-10-05', 4000, 'REF-3'],
      ['2026-09-02', 10000, 'REF-2'],
      ['2026-08-01', 10000, 'REF-1'],
    ]);
  });

  it('has nothing to show for a customer without loans', async () => {
    expect(await customerFinances(database.kysely, 999, '2026-11-25')).toEqual({
      balanceCents: 0,
      nextInstalment: null,
      overdue: [],
      loans: [],
      lastPayments: [],
    });
  });
});
