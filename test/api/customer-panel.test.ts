import { expect, it } from 'vitest';
import type { CustomerPanel } from '../../src/api/customers.schemas.js';
import { todayIn } from '../../src/config/config.js';
import type { Database } from '../../src/db/database.js';
import type { ErrorBody } from '../../src/http/error-handler.js';
import { bearer } from '../helpers/auth.js';
import { cuota, prestamo, seedCustomer } from '../helpers/customers.js';
import { describeEachDatabase } from '../helpers/test-database.js';
import { testConfig, useMigratedApp } from '../helpers/webhook.js';

const ANA = '584121234567';
const STRANGER = '584169998877';
const NEVER_WROTE = '584267776655';

/** Days from `from` to the lender's today, as the panel counts them. */
function daysSince(from: string): number {
  const today = todayIn(testConfig().timezone);
  return Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/**
 * Ana (id 7, 0412-1234567): a running loan of 900.00 in 3 instalments (the first paid, the second
 * overdue with 120.50 paid, the third due far ahead); a refused loan; six payments, one annulled.
 */
async function seed(database: Database): Promise<void> {
  await seedCustomer(database, {
    prestamos: [
      prestamo({
        id: 70,
        total_financiamiento: '900.00',
        numero_cuotas: 3,
        cuotas: [
          cuota(1, '2020-01-01', '300.00', '300.00', 'PAGADO'),
          cuota(2, '2020-02-01', '300.00', '120.50', 'ATRASADO'),
          cuota(3, '2099-03-01', '300.00', '0.00', 'PENDIENTE'),
        ],
      }),
      prestamo({ id: 71, producto: 'Moto', estado: 'RECHAZADO', total_financiamiento: '2500.00', numero_cuotas: 10 }),
    ],
    pagos: [1, 2, 3, 4, 5, 6].map((day) => ({
      fecha_pago: new Date(Date.UTC(2025, 0, day, 12)),
      monto_pagado: `${day}0.00`,
      referencia_pago: `REF-${day}`,
      institucion_bancaria: 'Banesco',
      estado: day === 6 ? 'ANULADO' : 'CONCILIADO',
    })),
  });
  await database.kysely
    .insertInto('whatsapp_conversaciones')
    .values([{ wa_number: ANA }, { wa_number: STRANGER, profile_name: 'Carlos' }])
    .execute();
}

describeEachDatabase('the customer panel of a conversation', ({ fresh }) => {
  const ctx = useMigratedApp(fresh, seed);
  const get = async (number: string, headers?: Record<string, string>) =>
    ctx
      .app()
      .inject({ method: 'GET', url: `/api/v1/conversaciones/${number}/cliente`, headers: headers ?? (await bearer(ctx.database())) });

  it('shows the customer the number belongs to, with the figures of their loans, instalments and payments', async () => {
    const response = await get('+58 412-123.45.67');
    expect(response.statusCode, response.body).toBe(200);
    const panel = response.json<CustomerPanel>();
    expect(panel.wa_number).toBe(ANA);
    expect(panel.cliente).toEqual({
      id: 7,
      nombres: 'Ana María Pérez',
      cedula: 'V-12345678',
      telefono: '0412-1234567',
      telefonos: [ANA],
      email: 'ana@example.com',
      direccion: 'Caracas',
      fecha_nacimiento: '1985-03-04',
      ocupacion: 'Docente',
      estado: 'ACTIVO',
    });
    expect(panel.vinculo).toBeNull();
    expect(panel.prestamos).toEqual([
      {
        id: 70,
        producto: 'Crédito personal',
        estado: 'APROBADO',
        monto: 900,
        monto_texto: expect.stringContaining('900') as unknown,
        cuotas_pagadas: 1,
        cuotas_total: 3,
        saldo: 479.5,
        saldo_texto: expect.stringContaining('479') as unknown,
        proxima_cuota: { numero: 3, monto: 300, monto_texto: expect.stringContaining('300') as unknown, vence: '2099-03-01' },
        cuotas_vencidas: [
          {
            numero: 2,
            monto: 179.5,
            monto_texto: expect.stringContaining('179') as unknown,
            vence: '2020-02-01',
            dias_atraso: daysSince('2020-02-01'),
          },
        ],
      },
      {
        id: 71,
        producto: 'Moto',
        estado: 'RECHAZADO',
        monto: 2500,
        monto_texto: expect.stringContaining('500') as unknown,
        cuotas_pagadas: 0,
        cuotas_total: 10,
        saldo: 0,
        saldo_texto: expect.any(String) as unknown,
        proxima_cuota: null,
        cuotas_vencidas: [],
      },
    ]);
    expect(panel.saldo_total).toBe(479.5);
    expect(panel.saldo_total_texto).toContain('479');
    // The last five payments, newest first, the annulled one left out.
    expect(panel.ultimos_pagos.map((p) => [p.fecha, p.monto, p.referencia, p.banco])).toEqual(
      [5, 4, 3, 2, 1].map((day) => [new Date(Date.UTC(2025, 0, day, 12)).toISOString(), day * 10, `REF-${day}`, 'Banesco']),
    );
    expect(panel.ultimos_pagos[0]?.monto_texto).toContain('50');
  });

  it('answers cliente null and nothing else for a number no customer has', async () => {
    const response = await get(STRANGER);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json<CustomerPanel>()).toEqual({
      wa_number: STRANGER,
      cliente: null,
      vinculo: null,
      prestamos: [],
      saldo_total: 0,
      saldo_total_texto: expect.any(String) as unknown,
      ultimos_pagos: [],
      notas_bot: [],
    });
  });

  it('is 404 for a number without a conversation, 400 for text that is no number, 401 without credentials', async () => {
    const unknown = await get(NEVER_WROTE);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json<ErrorBody>().error.code).toBe('HTTP_NOT_FOUND');
    const bad = await get('no-es-un-numero');
    expect(bad.statusCode).toBe(400);
    expect(bad.json<ErrorBody>().error.code).toBe('HTTP_BAD_REQUEST');
    expect((await get(ANA, {})).statusCode).toBe(401);
  });
});
