import type { Kysely } from 'kysely';
import { panelFinances, type Instalment } from '../crm/customer-finance.repository.js';
import { formatMoney } from '../crm/money.js';
import { botNotesOf } from '../conversations/bot-notes.repository.js';
import { customersByNumber } from '../customers/customer-phone.repository.js';
import { phonesOf } from '../customers/phone-number.js';
import type { Tables } from '../db/tables.js';
import { CharlaError } from '../errors/charla-error.js';
import type { CustomerPanel } from './customers.schemas.js';
import { conversationCustomer, customerDetails, latestLink } from './customer-link.repository.js';
import { isoTimestamp } from './message-row.js';

export interface PanelOptions {
  defaultCountryCode: string;
  locale: string;
  currency: string;
  /** The lender's calendar date, `YYYY-MM-DD`. */
  today: () => string;
}

/** Payments the panel lists. */
const LAST_PAYMENTS = 5;
/** The bot's notes the panel lists. */
const BOT_NOTES = 10;

/**
 * The customer panel of a conversation: the customer known for the number as the bot knows them
 * (the conversation's customer, or else the phone index), their loans with the next and overdue
 * instalments, the balance and the last payments, computed as the bot computes them
 * (docs/crm-data.md, "A customer's position"). 404 for a number with no conversation.
 */
export async function customerPanel(db: Kysely<Tables>, waNumber: string, options: PanelOptions): Promise<CustomerPanel> {
  const conversation = await conversationCustomer(db, waNumber);
  if (!conversation) throw new CharlaError('HTTP_NOT_FOUND', `No conversation with ${waNumber}.`);
  const clienteId = conversation.cliente_id ?? (await customersByNumber(db, [waNumber])).get(waNumber) ?? null;
  const cliente = clienteId === null ? undefined : await customerDetails(db, clienteId);
  const notas_bot = (await botNotesOf(db, waNumber, BOT_NOTES)).map((n) => ({
    id: n.id,
    tipo: n.kind,
    valor: n.value,
    texto: n.text,
    entrante_id: n.inboundId,
    creado_en: isoTimestamp(n.at),
  }));
  const money = (cents: number) => ({ amount: cents / 100, text: formatMoney(cents, options.locale, options.currency) });
  if (!cliente) {
    const zero = money(0);
    return {
      wa_number: waNumber,
      cliente: null,
      vinculo: null,
      prestamos: [],
      saldo_total: zero.amount,
      saldo_total_texto: zero.text,
      ultimos_pagos: [],
      notas_bot,
    };
  }
  const link = conversation.vinculado_en ? await latestLink(db, waNumber) : undefined;
  const today = options.today();
  const { finances, open } = await panelFinances(db, cliente.id, today, LAST_PAYMENTS);
  const instalment = (i: Instalment) => {
    const pending = money(i.pendingCents);
    return { numero: i.numero, monto: pending.amount, monto_texto: pending.text, vence: i.dueDate };
  };
  const total = money(finances.balanceCents);
  return {
    wa_number: waNumber,
    cliente: {
      id: cliente.id,
      nombres: cliente.nombres,
      cedula: cliente.cedula,
      telefono: cliente.telefono,
      telefonos: phonesOf(cliente.telefono ?? '', options.defaultCountryCode),
      email: cliente.email,
      direccion: cliente.direccion,
      fecha_nacimiento: cliente.fecha_nacimiento,
      ocupacion: cliente.ocupacion,
      estado: cliente.estado,
    },
    vinculo: link
      ? {
          cliente_id: link.cliente_id,
          cliente_anterior_id: link.cliente_anterior_id,
          agente_id: link.agente_id,
          token_id: link.token_id,
          vinculado_en: isoTimestamp(link.creado_en),
        }
      : null,
    prestamos: finances.loans.map((loan) => {
      const own = open.filter((i) => i.prestamoId === loan.id);
      const next = own.find((i) => i.dueDate >= today);
      const [amount, pending] = [money(loan.totalCents), money(loan.pendingCents)];
      return {
        id: loan.id,
        producto: loan.producto,
        estado: loan.estado,
        monto: amount.amount,
        monto_texto: amount.text,
        cuotas_pagadas: loan.paidInstalments,
        cuotas_total: loan.instalments,
        saldo: pending.amount,
        saldo_texto: pending.text,
        proxima_cuota: next ? instalment(next) : null,
        cuotas_vencidas: own.filter((i) => i.dueDate < today).map((i) => ({ ...instalment(i), dias_atraso: i.daysLate })),
      };
    }),
    saldo_total: total.amount,
    saldo_total_texto: total.text,
    ultimos_pagos: finances.lastPayments.map((p) => {
      const paid = money(p.amountCents);
      return { fecha: isoTimestamp(p.date), monto: paid.amount, monto_texto: paid.text, referencia: p.reference, banco: p.bank };
    }),
    notas_bot,
  };
}
