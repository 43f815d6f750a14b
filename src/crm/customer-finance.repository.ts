import type { Kysely } from 'kysely';
import type { Tables } from '../db/tables.js';
import { toCents } from './money.js';

export interface Instalment {
  prestamoId: number;
  numero: number;
  dueDate: string;
  /** max(0, monto_cuota − total_pagado), in cents. */
  pendingCents: number;
  daysLate: number;
}

export interface LoanState {
  id: number;
  producto: string | null;
  estado: string;
  totalCents: number;
  pendingCents: number;
  instalments: number;
  paidInstalments: number;
}

export interface Payment {
  date: Date;
  amountCents: number;
  reference: string | null;
  bank: string | null;
}

export interface CustomerFinances {
  balanceCents: number;
  /** The first instalment not yet due, of any loan. */
  nextInstalment: Instalment | null;
  /** The first instalment not yet due of each running loan, earliest first (one per loan). */
  nextByLoan: Instalment[];
  overdue: Instalment[];
  loans: LoanState[];
  lastPayments: Payment[];
}

/** Loans that are running: their instalments count in balances. */
const ACTIVE_LOAN = 'APROBADO';

/**
 * A customer's position, from the CRM's own tables (docs/crm-data.md): pending amount of an instalment
 * = max(0, monto_cuota − total_pagado); overdue = due before `today` and not PAGADO.
 */
export async function customerFinances(db: Kysely<Tables>, clienteId: number, today: string): Promise<CustomerFinances> {
  return (await financesOf(db, [clienteId], today)).get(clienteId) as CustomerFinances;
}

/** The positions of several customers in three queries (the worker answers a group at once). */
export async function financesOf(db: Kysely<Tables>, clienteIds: readonly number[], today: string): Promise<Map<number, CustomerFinances>> {
  const positions = await positionsOf(db, clienteIds, today, 3);
  return new Map([...positions].map(([id, p]) => [id, p.finances] as const));
}

/** What an agent's panel shows: the position with the last `payments` payments, and every open instalment (the position keeps only the next one). */
export async function panelFinances(
  db: Kysely<Tables>,
  clienteId: number,
  today: string,
  payments: number,
): Promise<{ finances: CustomerFinances; open: Instalment[] }> {
  return (await positionsOf(db, [clienteId], today, payments)).get(clienteId) as { finances: CustomerFinances; open: Instalment[] };
}

async function positionsOf(
  db: Kysely<Tables>,
  clienteIds: readonly number[],
  today: string,
  paymentCount: number,
): Promise<Map<number, { finances: CustomerFinances; open: Instalment[] }>> {
  const ids = [...new Set(clienteIds)];
  const result = new Map<number, { finances: CustomerFinances; open: Instalment[] }>();
  if (ids.length === 0) return result;
  const loans = await db
    .selectFrom('prestamos')
    .select(['id', 'cliente_id', 'producto', 'estado', 'total_financiamiento', 'numero_cuotas'])
    .where('cliente_id', 'in', ids)
    .orderBy('id')
    .execute();
  const loanIds = loans.map((l) => l.id);
  const cuotas =
    loanIds.length === 0
      ? []
      : await db
          .selectFrom('cuotas')
          .select(['prestamo_id', 'numero_cuota', 'fecha_vencimiento', 'monto_cuota', 'total_pagado', 'estado'])
          .where('prestamo_id', 'in', loanIds)
          .orderBy('fecha_vencimiento')
          .orderBy('numero_cuota')
          .execute();
  const payments = await db
    .selectFrom('pagos')
    .select(['cliente_id', 'fecha_pago', 'monto_pagado', 'referencia_pago', 'institucion_bancaria'])
    .where('cliente_id', 'in', ids)
    .where((eb) => eb.or([eb('estado', 'is', null), eb('estado', '!=', 'ANULADO')]))
    .orderBy('fecha_pago', 'desc')
    .execute();
  for (const id of ids) {
    const own = loans.filter((l) => l.cliente_id === id);
    const ownIds = new Set(own.map((l) => l.id));
    const ownCuotas = cuotas.filter((c) => ownIds.has(c.prestamo_id));
    result.set(id, {
      finances: position(own, ownCuotas, payments.filter((p) => p.cliente_id === id).slice(0, paymentCount), today),
      open: openInstalments(own, ownCuotas, today),
    });
  }
  return result;
}

type LoanRow = {
  id: number;
  producto: string | null;
  estado: string | null;
  total_financiamiento: string | null;
  numero_cuotas: number | null;
};
type CuotaRow = {
  prestamo_id: number;
  numero_cuota: number | null;
  fecha_vencimiento: string | null;
  monto_cuota: string | null;
  total_pagado: string | null;
  estado: string | null;
};
type PaymentRow = { fecha_pago: Date; monto_pagado: string; referencia_pago: string | null; institucion_bancaria: string | null };

/** The open instalments of running loans, earliest due first (docs/crm-data.md, "A customer's position"). */
function openInstalments(loans: LoanRow[], cuotas: CuotaRow[], today: string): Instalment[] {
  const active = new Set(loans.filter((l) => l.estado === ACTIVE_LOAN).map((l) => l.id));
  return cuotas
    .filter((c) => active.has(c.prestamo_id) && c.estado !== 'PAGADO' && c.fecha_vencimiento !== null)
    .map((c) => ({
      prestamoId: c.prestamo_id,
      numero: c.numero_cuota ?? 0,
      dueDate: c.fecha_vencimiento as string,
      pendingCents: Math.max(0, toCents(c.monto_cuota) - toCents(c.total_pagado)),
      daysLate: Math.max(0, daysBetween(c.fecha_vencimiento as string, today)),
    }))
    .filter((i) => i.pendingCents > 0);
}

function position(loans: LoanRow[], cuotas: CuotaRow[], payments: PaymentRow[], today: string): CustomerFinances {
  const open = openInstalments(loans, cuotas, today);
  const upcoming = open.filter((i) => i.dueDate >= today);

  return {
    balanceCents: open.reduce((sum, i) => sum + i.pendingCents, 0),
    nextInstalment: upcoming[0] ?? null,
    nextByLoan: upcoming.filter((i, at) => upcoming.findIndex((j) => j.prestamoId === i.prestamoId) === at),
    overdue: open.filter((i) => i.dueDate < today),
    loans: loans.map((l) => {
      const own = cuotas.filter((c) => c.prestamo_id === l.id);
      return {
        id: l.id,
        producto: l.producto,
        estado: l.estado ?? 'DESCONOCIDO',
        totalCents: toCents(l.total_financiamiento),
        pendingCents: open.filter((i) => i.prestamoId === l.id).reduce((sum, i) => sum + i.pendingCents, 0),
        instalments: l.numero_cuotas ?? own.length,
        paidInstalments: own.filter((c) => c.estado === 'PAGADO').length,
      };
    }),
    lastPayments: payments.map((p) => ({
      date: p.fecha_pago,
      amountCents: toCents(p.monto_pagado),
      reference: p.referencia_pago,
      bank: p.institucion_bancaria,
    })),
  };
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
