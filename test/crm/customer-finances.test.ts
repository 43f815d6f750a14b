import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.js';
import { customerFinances } from '../../src/crm/customer-finance.repository.js';
import { formatDate, formatMoney } from '../../src/crm/money.js';
import { cuota, prestamo, seedCustomer } from '../helpers/customers.js';
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
    const pago = (numero_cuota: number, fecha_pago: string, monto_pagado: string, referencia_pago: string) => ({
      prestamo_id: 70,
      numero_cuota,
      fecha_pago: new Date(fecha_pago),
      monto_pagado,
      referencia_pago,
    });
    // Ana (id 7): a running loan of 6 instalments of 100.00 (2 paid, 1 partly, 1 overdue) and a rejected one.
    await seedCustomer(database, {
      cliente: { telefono: '04121234567' },
      prestamos: [
        prestamo({
          id: 70,
          total_financiamiento: '600.00',
          numero_cuotas: 6,
          cuotas: [
            cuota(1, '2026-08-01', '100.00', '100.00', 'PAGADO'),
            cuota(2, '2026-09-01', '100.00', '100.00', 'PAGADO'),
            cuota(3, '2026-10-01', '100.00', '40.00', 'PARCIAL'),
            cuota(4, '2026-11-01', '100.00', '0.00', 'ATRASADO'),
            cuota(5, '2026-12-01', '100.00', '0.00', 'PENDIENTE'),
            cuota(6, '2027-01-01', '100.00', '0.00', 'PENDIENTE'),
          ],
        }),
        prestamo({
          id: 71,
          producto: 'Crédito moto',
          estado: 'RECHAZADO',
          total_financiamiento: '2000.00',
          numero_cuotas: 2,
          cuotas: [cuota(1, '2026-10-15', '100.00', '0.00', 'PENDIENTE'), cuota(2, '2026-11-15', '100.00', '0.00', 'PENDIENTE')],
        }),
      ],
      pagos: [
        pago(1, '2026-08-01T14:00:00Z', '100.00', 'REF-1'),
        pago(2, '2026-09-02T14:00:00Z', '100.00', 'REF-2'),
        pago(3, '2026-10-05T14:00:00Z', '40.00', 'REF-3'),
        pago(3, '2026-07-01T14:00:00Z', '5.00', 'OLD'),
      ],
    });
  });
  afterAll(async () => database?.close());

  it('finds the next instalment of each running loan, earliest first: a customer with two loans owes both', async () => {
    // Luis (id 8): a business loan due on the 10th and a motorbike loan due on the 30th, and a later one of the motorbike's.
    await seedCustomer(database, {
      cliente: { id: 8, telefono: '04141112233', cedula: 'V-8888888' },
      prestamos: [
        prestamo({ id: 80, producto: 'Crédito comercio', cuotas: [cuota(3, '2026-12-10', '470.00', '0.00', 'PENDIENTE')] }),
        prestamo({
          id: 81,
          producto: 'Crédito moto',
          cuotas: [cuota(6, '2026-11-30', '120.00', '0.00', 'PENDIENTE'), cuota(7, '2026-12-30', '120.00', '0.00', 'PENDIENTE')],
        }),
      ],
    });
    const finances = await customerFinances(database.kysely, 8, '2026-11-25');
    expect(finances.nextByLoan.map((i) => [i.prestamoId, i.numero, i.dueDate, i.pendingCents])).toEqual([
      [81, 6, '2026-11-30', 12000],
      [80, 3, '2026-12-10', 47000],
    ]);
    expect(finances.nextInstalment?.numero).toBe(6);
  });

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
      nextByLoan: [],
      overdue: [],
      loans: [],
      lastPayments: [],
    });
  });
});
