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
  nextInstalment: Instalment | null;
  overdue: Instalment[];
  loans: LoanState[];
  lastPayments: Payment[];
}

/** Loans that are running: their instalments count in balances. */
const ACTIVE_LOAN = 'APROBADO';

/**
 * A customer's position, from the CRM's own tables (PRODUCT §2): pending amount of an instalment
 * = max(0, monto_cuota − total_pagado); overdue = due before `today` and not PAGADO.
 */
export async function customerFinances(db: Kysely<Tables>, clienteId: number, today: string): Promise<CustomerFinances> {
  const loans = await db
    .selectFrom('prestamos')
    .select(['id', 'producto', 'estado', 'total_financiamiento', 'numero_cuotas'])
    .where('cliente_id', '=', clienteId)
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
    .select(['fecha_pago', 'monto_pagado', 'referencia_pago', 'institucion_bancaria'])
    .where('cliente_id', '=', clienteId)
    .where((eb) => eb.or([eb('estado', 'is', null), eb('estado', '!=', 'ANULADO')]))
    .orderBy('fecha_pago', 'desc')
    .limit(3)
    .execute();

  const active = new Set(loans.filter((l) => l.estado === ACTIVE_LOAN).map((l) => l.id));
  const open: Instalment[] = cuotas
    .filter((c) => active.has(c.prestamo_id) && c.estado !== 'PAGADO' && c.fecha_vencimiento !== null)
    .map((c) => ({
      prestamoId: c.prestamo_id,
      numero: c.numero_cuota ?? 0,
      dueDate: c.fecha_vencimiento as string,
      pendingCents: Math.max(0, toCents(c.monto_cuota) - toCents(c.total_pagado)),
      daysLate: Math.max(0, daysBetween(c.fecha_vencimiento as string, today)),
    }))
    .filter((i) => i.pendingCents > 0);

  return {
    balanceCents: open.reduce((sum, i) => sum + i.pendingCents, 0),
    nextInstalment: open.find((i) => i.dueDate >= today) ?? null,
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
