import type { Kysely } from 'kysely';
import type { DialectSupport } from '../db/dialects/dialect-support.js';
import { insertReturningId } from '../db/insert-returning-id.js';
import type { Tables } from '../db/tables.js';

/**
 * Realistic demo data for trying Charla: customers with Venezuelan phone numbers written every way
 * the CRM holds them, approved loans with instalment schedules (some overdue, some partly paid),
 * payments, and a few loans in other states. Deterministic: the same data on every run.
 */
const FIRST = [
  'Ana',
  'José',
  'María',
  'Luis',
  'Carmen',
  'Pedro',
  'Yusmary',
  'Carlos',
  'Rosa',
  'Jesús',
  'Daniela',
  'Miguel',
  'Gabriela',
  'Rafael',
  'Andreína',
  'Jorge',
];
const LAST = ['Pérez', 'González', 'Rodríguez', 'Hernández', 'García', 'Martínez', 'López', 'Díaz', 'Rivas', 'Rojas', 'Mendoza', 'Silva'];
const OCCUPATIONS = ['Docente', 'Comerciante', 'Enfermera', 'Taxista', 'Contador', 'Costurera', 'Mecánico', 'Estudiante'];
const PREFIXES = ['412', '414', '424', '416', '426'];
const BANKS = ['Banco de Venezuela', 'Banesco', 'Mercantil', 'BNC', 'Provincial'];

/** Every way `clientes.telefono` is written in the lender's CRM (docs/crm-data.md). */
const PHONE_FORMATS: ((prefix: string, number: string) => string)[] = [
  (p, n) => `+58${p}${n}`,
  (p, n) => `0${p}${n}`,
  (p, n) => `${p}-${n}`,
  (p, n) => `+58 ${p} ${n}`,
  (p, n) => `0${p}-${n.slice(0, 3)}.${n.slice(3, 5)}.${n.slice(5)}`,
  (p, n) => `(0${p}) ${n}`,
  (p, n) => `0${p}${n} / 0212-${n}`,
];

export interface DemoCustomer {
  id: number;
  nombres: string;
  cedula: string;
  telefono: string;
  /** The number as WhatsApp sends it (`from`), to write as this customer in the simulator. */
  whatsapp: string;
  fecha_nacimiento: string;
}

/** A small deterministic generator (mulberry32), so demo data is the same everywhere. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function demoCustomers(count = 24): DemoCustomer[] {
  const rnd = random(58);
  return Array.from({ length: count }, (_, i) => {
    const prefix = PREFIXES[i % PREFIXES.length] as string;
    const number = String(1_000_000 + Math.floor(rnd() * 8_999_999));
    const year = 1960 + Math.floor(rnd() * 40);
    const month = 1 + Math.floor(rnd() * 12);
    const day = 1 + Math.floor(rnd() * 28);
    return {
      id: i + 1,
      nombres: `${FIRST[i % FIRST.length]} ${LAST[i % LAST.length]} ${LAST[(i * 5 + 3) % LAST.length]}`,
      cedula: `${i % 9 === 8 ? 'E' : 'V'}-${String(6_000_000 + Math.floor(rnd() * 24_000_000))}`,
      telefono: (PHONE_FORMATS[i % PHONE_FORMATS.length] as (p: string, n: string) => string)(prefix, number),
      whatsapp: `58${prefix}${number}`,
      fecha_nacimiento: `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
    };
  });
}

function addMonths(isoDate: string, months: number): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  date.setUTCMonth(date.getUTCMonth() + months);
  return date.toISOString().slice(0, 10);
}

/**
 * Loads the demo into empty CRM tables; returns the customers, or null when `clientes` already has rows.
 * `count` customers (24 by default; benchmarks load more).
 */
export async function loadDemoData(db: Kysely<Tables>, support: DialectSupport, today: string, count = 24): Promise<DemoCustomer[] | null> {
  const existing = await db
    .selectFrom('clientes')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  if (Number(existing.n) > 0) return null;
  const customers = demoCustomers(count);
  const rnd = random(4121234);
  await db.transaction().execute(async (trx) => {
    for (const c of customers) {
      c.id = await insertReturningId(trx, support, 'clientes', {
        cedula: c.cedula,
        nombres: c.nombres,
        telefono: c.telefono,
        fecha_nacimiento: c.fecha_nacimiento,
        email: `cliente${c.id}@example.com`,
        direccion: 'Caracas, Distrito Capital',
        ocupacion: OCCUPATIONS[c.id % OCCUPATIONS.length] as string,
      });
    }
  });
  await db.transaction().execute(async (trx) => {
    let loan = 0;
    for (const c of customers) {
      // Most customers have a running loan; some also have an older one, a rejected or a draft.
      const kinds =
        c.id % 5 === 0
          ? ['APROBADO', 'RECHAZADO']
          : c.id % 7 === 0
            ? ['EN_REVISION']
            : c.id % 4 === 0
              ? ['APROBADO', 'APROBADO']
              : ['APROBADO'];
      for (const estado of kinds) {
        loan++;
        const cuotasCount = [6, 12, 8][loan % 3] as number;
        const monto = (100 + Math.floor(rnd() * 40) * 10).toFixed(2);
        const start = addMonths(today, -Math.floor(rnd() * cuotasCount) - 1);
        const prestamoId = await insertReturningId(trx, support, 'prestamos', {
          cliente_id: c.id,
          cedula: c.cedula,
          nombres: c.nombres,
          total_financiamiento: (Number(monto) * cuotasCount).toFixed(2),
          fecha_requerimiento: start,
          modalidad_pago: 'MENSUAL',
          numero_cuotas: cuotasCount,
          cuota_periodo: monto,
          tasa_interes: '5.00',
          fecha_base_calculo: start,
          producto: ['Crédito personal', 'Crédito comercio', 'Crédito moto'][loan % 3],
          estado,
        });
        if (estado === 'APROBADO') await schedule(trx, prestamoId, c, start, cuotasCount, monto, today, rnd);
      }
    }
  });
  return customers;
}

async function schedule(
  trx: Kysely<Tables>,
  prestamoId: number,
  customer: DemoCustomer,
  start: string,
  count: number,
  monto: string,
  today: string,
  rnd: () => number,
): Promise<void> {
  const behind = customer.id % 3 === 0; // every third customer is in arrears
  for (let n = 1; n <= count; n++) {
    const due = addMonths(start, n);
    const past = due < today;
    const paid = past && !(behind && addMonths(due, 2) >= today);
    const partial = !paid && past && rnd() < 0.3;
    const totalPagado = paid ? monto : partial ? (Number(monto) / 2).toFixed(2) : '0.00';
    const daysLate = past && !paid ? Math.round((Date.parse(today) - Date.parse(due)) / 86_400_000) : 0;
    await trx
      .insertInto('cuotas')
      .values({
        prestamo_id: prestamoId,
        numero_cuota: n,
        fecha_vencimiento: due,
        fecha_pago: paid ? due : null,
        monto_cuota: monto,
        total_pagado: totalPagado,
        dias_mora: daysLate,
        estado: paid ? 'PAGADO' : partial ? 'PARCIAL' : past ? 'ATRASADO' : 'PENDIENTE',
      })
      .execute();
    if (paid || partial) {
      await trx
        .insertInto('pagos')
        .values({
          cedula: customer.cedula,
          cliente_id: customer.id,
          prestamo_id: prestamoId,
          numero_cuota: n,
          fecha_pago: new Date(`${due}T15:30:00Z`),
          monto_pagado: totalPagado,
          numero_documento: `DOC-${prestamoId}-${n}`,
          institucion_bancaria: BANKS[(prestamoId + n) % BANKS.length] as string,
          referencia_pago: String(100000 + Math.floor(rnd() * 899999)),
          conciliado: paid,
          estado: 'PAGADO',
        })
        .execute();
    }
  }
}
