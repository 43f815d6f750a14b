import type { ClientMessage } from '../graph/client-message.js';
import type { CustomerFinances, Instalment } from '../crm/customer-finance.repository.js';
import { formatDate, formatMoney } from '../crm/money.js';
import { MENU } from './intents.js';

/** How amounts and dates are written to customers, and the bot's words. */
export interface Presentation {
  locale: string;
  currency: string;
  howToPay: string;
  /** The bot's texts: DEFAULT_TEXTS unless the lender's BOT_TEXTS_FILE replaces some. */
  texts?: BotTexts;
}

/**
 * Everything the bot says in its own words, in one place: Spanish, friendly, short. A lender
 * replaces any of them with BOT_TEXTS_FILE (docs/bot.md, "The bot's texts"); `{nombre}`,
 * `{intentos}`, `{referencia}` and `{fecha}` are filled in where the default text has them.
 */
export const DEFAULT_TEXTS = {
  askCedula:
    '¡Hola! 👋 Para ayudarte con tu préstamo primero debo verificar tu identidad. ¿Cuál es tu número de cédula? (por ejemplo V-12345678)',
  askCedulaAgain: 'No logré leer una cédula en tu mensaje. Escríbela así: V-12345678.',
  cedulaNotFound: 'No encontré esa cédula entre nuestros clientes. Revísala e inténtalo de nuevo (te quedan {intentos} intentos).',
  askBirthDate: 'Gracias. Para confirmar que eres tú, ¿cuál es tu fecha de nacimiento? (dd/mm/aaaa)',
  askBirthDateAgain: 'No reconocí la fecha. Escríbela así: 04/03/1985.',
  birthDateWrong: 'Los datos no coinciden. Inténtalo de nuevo (te quedan {intentos} intentos).',
  verified: '¡Gracias, {nombre}! Ya verifiqué tu identidad. ¿En qué te puedo ayudar?',
  tooManyAttempts: 'Por tu seguridad no puedo seguir con la verificación. Un asesor continuará esta conversación en breve.',
  agent: 'Te comunico con un asesor. En breve una persona de nuestro equipo te responderá por aquí. 🙌',
  receipt: '¡Gracias! Recibimos tu archivo. Si es un comprobante de pago, un asesor lo revisará y te confirmará.',
  voiceNote: 'Todavía no puedo escuchar audios ni ver videos, ¿me lo escribes? ✍️',
  thanks: '¡Con gusto! Si necesitas algo más, escribe *menú*.',
  goodbye: '¡Hasta luego, {nombre}! Aquí estoy cuando me necesites. 👋',
  greeting: '¡Hola, {nombre}! 😊 ¿En qué te puedo ayudar?',
  greetingBeforeAnswer: '¡Hola, {nombre}!',
  notUnderstood: 'No estoy seguro de haber entendido. Elige una opción:',
  notUnderstoodAgain: 'Sigo sin entenderte, disculpa 🙏. ¿Quieres que te atienda una persona? Toca el botón o escribe *asesor*.',
  offerAgentButton: 'Hablar con un asesor',
  agentDeclined: 'De acuerdo. Cuando quieras, elige una opción:',
  outOfScope: 'Eso no lo puedo responder: solo sé de tus préstamos, cuotas y pagos.',
  chooseOption: 'Elige una opción:',
  paymentClaim: '¡Gracias por avisar! Para registrar tu pago envíame la foto del comprobante o el número de referencia de la operación.',
  paymentReference: '¡Gracias! Anoté la referencia {referencia}. Un asesor confirmará tu pago y te avisará por aquí.',
  askPayDate: 'Entiendo. ¿Para qué fecha podrías hacer el pago? Con esa fecha te comunico con un asesor para buscar una solución.',
  cannotPayWithDate: 'Gracias. Anoté que podrías pagar el {fecha}. Un asesor revisará tu caso y te escribirá por aquí. 🙌',
  cannotPayWithoutDate: 'Entiendo. Un asesor revisará tu caso y te escribirá por aquí para buscar una solución. 🙌',
  promiseNoted: '¡Gracias! Anoté tu compromiso de pago para el {fecha}. Cuando pagues, envíame el comprobante o la referencia.',
  complaint: 'Lamento mucho lo ocurrido 🙏. Te comunico con un asesor para revisar tu caso; te responderá por aquí.',
  optOut: 'Entendido: no te escribiremos más por aquí. Si algún día necesitas algo, escríbenos.',
} as const;

export type BotTextKey = keyof typeof DEFAULT_TEXTS;
export type BotTexts = Record<BotTextKey, string>;

/** The `{placeholders}` of a text. */
export const placeholdersOf = (text: string): string[] => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);

/** A text with its `{placeholders}` filled in. */
export function say(text: string, values: Readonly<Record<string, string | number>> = {}): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

/** A day as the bot writes it: "viernes, 27 de noviembre". */
export function formatDay(isoDate: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' }).format(
    new Date(`${isoDate}T00:00:00Z`),
  );
}

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

/** The loan an instalment belongs to, as the customer knows it: its product ("Crédito moto"). */
function loanName(f: CustomerFinances, i: Instalment): string {
  return f.loans.find((l) => l.id === i.prestamoId)?.producto ?? `Préstamo ${i.prestamoId}`;
}

/** With several running loans, the next instalment of each: which loan, its number, when and how much. */
function nextOfEachLoan(f: CustomerFinances, p: Presentation): string {
  const lines = f.nextByLoan.map(
    (i) =>
      `• ${loanName(f, i)}: cuota N° ${i.numero}, vence el ${formatDate(i.dueDate, p.locale)} por *${formatMoney(i.pendingCents, p.locale, p.currency)}*`,
  );
  return `Tus próximas cuotas, una por préstamo:\n${lines.join('\n')}`;
}

/** What one instalment comes to: the next one's pending amount (of each loan, with several), or, with none to come, the oldest overdue one's. */
export function describeInstalmentAmount(f: CustomerFinances, p: Presentation): string {
  const money = (i: Instalment) => formatMoney(i.pendingCents, p.locale, p.currency);
  if (f.nextByLoan.length > 1) return nextOfEachLoan(f, p);
  if (f.nextInstalment) return `Tu próxima cuota es la *N° ${f.nextInstalment.numero}*: te toca pagar *${money(f.nextInstalment)}*.`;
  const oldest = f.overdue[0];
  if (oldest) return `No tienes cuotas por vencer; tu cuota atrasada *N° ${oldest.numero}* es de *${money(oldest)}*.`;
  return 'No tienes cuotas pendientes. ✅';
}

export function describeNextInstalment(f: CustomerFinances, p: Presentation): string {
  if (f.nextByLoan.length > 1) return nextOfEachLoan(f, p);
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
