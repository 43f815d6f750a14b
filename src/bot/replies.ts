import type { ClientMessage } from '../graph/client-message.js';
import type { CustomerFinances, Instalment } from '../crm/customer-finance.repository.js';
import { formatDate, formatMoney } from '../crm/money.js';
import { MENU } from './intents.js';

/** How amounts and dates are written to customers. */
export interface Presentation {
  locale: string;
  currency: string;
  howToPay: string;
}

/** The bot's words: Spanish, friendly, short. */
export const replies = {
  askCedula: (): string =>
    '¡Hola! 👋 Para ayudarte con tu préstamo primero debo verificar tu identidad. ¿Cuál es tu número de cédula? (por ejemplo V-12345678)',
  askCedulaAgain: (): string => 'No logré leer una cédula en tu mensaje. Escríbela así: V-12345678.',
  cedulaNotFound: (left: number): string =>
    `No encontré esa cédula entre nuestros clientes. Revísala e inténtalo de nuevo (te quedan ${left} intentos).`,
  askBirthDate: (): string => 'Gracias. Para confirmar que eres tú, ¿cuál es tu fecha de nacimiento? (dd/mm/aaaa)',
  askBirthDateAgain: (): string => 'No reconocí la fecha. Escríbela así: 04/03/1985.',
  birthDateWrong: (left: number): string => `Los datos no coinciden. Inténtalo de nuevo (te quedan ${left} intentos).`,
  verified: (firstName: string): string => `¡Gracias, ${firstName}! Ya verifiqué tu identidad.`,
  tooManyAttempts: (): string => 'Por tu seguridad no puedo seguir con la verificación. Un asesor continuará esta conversación en breve.',
  agent: (): string => 'Te comunico con un asesor. En breve una persona de nuestro equipo te responderá por aquí. 🙌',
  receipt: (): string => '¡Gracias! Recibimos tu archivo. Si es un comprobante de pago, un asesor lo revisará y te confirmará.',
  thanks: (): string => '¡Con gusto! Si necesitas algo más, escribe *menú*.',
  greeting: (firstName: string): string => `¡Hola, ${firstName}! 😊 ¿En qué te puedo ayudar?`,
  notUnderstood: (): string => 'No estoy seguro de haber entendido. Elige una opción:',
};

export function firstName(fullName: string): string {
  const first = fullName.trim().split(/\s+/)[0] ?? '';
  return first.charAt(0).toUpperCase() + first.slice(1).toLowerCase();
}

/** The menu as an interactive list (with the numbered fallback in `plainText`). */
export function menu(intro: string): ClientMessage {
  return {
    kind: 'list',
    body: intro,
    button: 'Ver opciones',
    rows: MENU.map((m) => ({ id: m.id, title: m.title, description: m.description })),
  };
}

export function describeBalance(f: CustomerFinances, p: Presentation): string {
  if (f.balanceCents === 0) return 'No tienes saldo pendiente. ¡Estás al día! ✅';
  const overdue = f.overdue.reduce((sum, i) => sum + i.pendingCents, 0);
  return `Tu saldo pendiente es de *${formatMoney(f.balanceCents, p.locale, p.currency)}*${
    overdue > 0 ? `, de los cuales ${formatMoney(overdue, p.locale, p.currency)} están vencidos` : ''
  }.`;
}

export function describeNextInstalment(f: CustomerFinances, p: Presentation): string {
  const next = f.nextInstalment;
  if (!next) return f.overdue.length > 0 ? 'No tienes cuotas por vencer; solo cuotas atrasadas.' : 'No tienes cuotas pendientes. ✅';
  return `Tu próxima cuota es la *N° ${next.numero}*, vence el *${formatDate(next.dueDate, p.locale)}* por *${formatMoney(next.pendingCents, p.locale, p.currency)}*.`;
}

export function describeOverdue(f: CustomerFinances, p: Presentation): string {
  if (f.overdue.length === 0) return 'No tienes cuotas atrasadas. ¡Muy bien! ✅';
  const lines = f.overdue.map(
    (i: Instalment) =>
      `• Cuota N° ${i.numero}: ${formatMoney(i.pendingCents, p.locale, p.currency)}, venció el ${formatDate(i.dueDate, p.locale)} (${i.daysLate} ${i.daysLate === 1 ? 'día' : 'días'} de atraso)`,
  );
  return `Tienes ${f.overdue.length} ${f.overdue.length === 1 ? 'cuota atrasada' : 'cuotas atrasadas'}:\n${lines.join('\n')}`;
}

export function describePayments(f: CustomerFinances, p: Presentation): string {
  if (f.lastPayments.length === 0) return 'No tengo pagos registrados a tu nombre.';
  const lines = f.lastPayments.map(
    (x) =>
      `• ${formatDate(x.date.toISOString().slice(0, 10), p.locale)}: ${formatMoney(x.amountCents, p.locale, p.currency)}${x.reference ? ` (ref. ${x.reference})` : ''}`,
  );
  return `Tus últimos pagos:\n${lines.join('\n')}`;
}

const LOAN_STATE: Record<string, string> = {
  APROBADO: 'activo',
  DRAFT: 'en borrador',
  EN_REVISION: 'en revisión',
  RECHAZADO: 'rechazado',
};

export function describeLoans(f: CustomerFinances, p: Presentation): string {
  if (f.loans.length === 0) return 'No tienes préstamos registrados.';
  const lines = f.loans.map((l) => {
    const state = LOAN_STATE[l.estado] ?? l.estado.toLowerCase();
    const detail =
      l.estado === 'APROBADO'
        ? `, ${l.paidInstalments}/${l.instalments} cuotas pagadas, pendiente ${formatMoney(l.pendingCents, p.locale, p.currency)}`
        : '';
    return `• ${l.producto ?? 'Préstamo'} N° ${l.id} (${formatMoney(l.totalCents, p.locale, p.currency)}): ${state}${detail}`;
  });
  return `Tus préstamos:\n${lines.join('\n')}`;
}
