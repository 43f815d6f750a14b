import type { CustomerFinances } from '../crm/customer-finance.repository.js';
import type { BotNote, ConversationState } from '../conversations/conversation-state.js';
import type { CustomerIdentity } from '../customers/customer.repository.js';
import type { ClientMessage } from '../graph/client-message.js';
import type { IntentLabel } from '../understanding/corpus-format.js';
import type { FoundEntity } from '../understanding/entities/entity.js';
import { yesOrNo } from '../understanding/intent-rules.js';
import type { Understanding } from '../understanding/understanding.js';
import { parseBirthDate, parseCedula } from './identity-parsing.js';
import {
  describeBalance,
  describeInstalmentAmount,
  describeLoans,
  describeNextInstalment,
  describeOverdue,
  describePayments,
  firstName,
  formatDay,
  menu,
  say,
  type BotTexts,
  type Presentation,
} from './replies.js';

export const MAX_VERIFICATION_ATTEMPTS = 3;
/** After this many messages in a row it did not understand, the bot offers an agent. */
export const NOT_UNDERSTOOD_BEFORE_AGENT = 2;

export interface IncomingMessage {
  type: string;
  body: string;
  replyId: string | null;
  /** The customer the sender's number belongs to (identification at ingest), if any. */
  phoneClienteId: number | null;
}

/** A customer as the bot knows them (name to greet, birth date to verify). */
export type Customer = CustomerIdentity;

/** What the bot reads from the CRM. */
export interface BotData {
  customer(id: number): Promise<Customer | null>;
  customersByCedula(digits: string): Promise<Customer[]>;
  finances(clienteId: number): Promise<CustomerFinances>;
}

/** How the bot reads and answers: the lender's words and formats, the trained understanding, the lender's today. */
export interface BotSettings {
  presentation: Presentation;
  /** The bot's words (DEFAULT_TEXTS, or the lender's BOT_TEXTS_FILE over them). */
  texts: BotTexts;
  understanding: Understanding;
  /** The lender's calendar date, `YYYY-MM-DD`: what "mañana" and "el viernes" count from. */
  today: string;
}

export interface BotDecision {
  /** null: no reply (reactions, agent mode). */
  reply: ClientMessage | null;
  state: ConversationState;
  /** What to note for the agents. */
  notes: BotNote[];
}

const RECEIPT_TYPES = new Set(['image', 'document']);
const RECORDING_TYPES = new Set(['audio', 'video']);
const SILENT_TYPES = new Set(['reaction', 'unsupported']);
/** Questions answered with the customer's own figures. */
const ACCOUNT_INTENTS = new Set<IntentLabel>(['balance', 'next_instalment', 'instalment_amount', 'overdue', 'payments', 'loans']);
/** Intents that frame an answer rather than ask for one. */
const FRAMING_INTENTS = new Set<IntentLabel>(['greeting', 'thanks', 'goodbye', 'menu']);
/** Intents that end with a person holding the conversation. */
const HANDOVER_INTENTS = new Set<IntentLabel>(['agent', 'complaint']);
/** Intents the bot acts on (a handover, a note, a receipt asked for): never on the model's mere guess. */
const ACTING_INTENTS = new Set<IntentLabel>(['agent', 'complaint', 'cannot_pay', 'promise_to_pay', 'payment_claim', 'opt_out']);

/**
 * The bot (docs/bot.md): identifies the customer by phone, or verifies them by cédula and date of
 * birth before any figure; understands what they ask (src/understanding/) and answers each question
 * in the order asked from the CRM's data; notes payment references and promised dates for the
 * agents; hands over to an agent when asked, on a complaint, when a customer cannot pay, or after
 * three failed verifications; stays quiet for reactions and while an agent holds the conversation.
 */
export async function decide(
  message: IncomingMessage,
  current: ConversationState,
  data: BotData,
  settings: BotSettings,
): Promise<BotDecision> {
  const state = { ...current };
  const texts = settings.texts;
  if (state.mode === 'agente' || SILENT_TYPES.has(message.type)) return { reply: null, state, notes: [] };
  if (RECEIPT_TYPES.has(message.type)) return reply(text(texts.receipt), { ...state, receiptPending: true });
  if (RECORDING_TYPES.has(message.type)) return reply(text(texts.voiceNote), state);

  state.clienteId ??= message.phoneClienteId;
  if (state.clienteId === null) return verify(message, state, data, settings);
  const customer = await data.customer(state.clienteId);
  if (!customer) return verify(message, { ...state, clienteId: null }, data, settings);

  const understood = settings.understanding.understand(message.body, { replyId: message.replyId, today: lenderDay(settings.today) });
  if (state.pendingQuestion === 'fecha_pago') {
    // "Ya pagué" (or a reference) instead of a day: a payment claimed, and the question lapses.
    const claimed = !understood.guessed && withClaimedPayment(understood.intents, understood.entities).includes('payment_claim');
    if (!claimed) return payDateAnswered(understood.entities, state, settings);
    state.pendingQuestion = null;
  }
  // The bot has just offered a person ("¿Quieres que te atienda una persona?"): a typed yes takes it, a no declines it.
  if (state.notUnderstood >= NOT_UNDERSTOOD_BEFORE_AGENT && !message.replyId) {
    const said = yesOrNo(message.body);
    if (said === 'yes') return answer(['agent'], [], customer, { ...state, notUnderstood: 0 }, data, settings);
    if (said === 'no') return reply(menu(texts.agentDeclined), { ...state, notUnderstood: 0 });
  }
  // A guess that would hand over, note or ask for a receipt costs too much when wrong: not understood.
  // So is a guessed greeting, thanks or goodbye (gibberish read as "hola" would reset the count of messages not understood).
  const trusted =
    understood.guessed && understood.intents.some((i) => ACTING_INTENTS.has(i) || FRAMING_INTENTS.has(i)) ? [] : understood.intents;
  const intents = withClaimedPayment(trusted, understood.entities);
  if (intents.length === 0) return notUnderstood(state, settings);
  return answer(intents, understood.entities, customer, { ...state, notUnderstood: 0 }, data, settings);
}

/** The answer to an identified customer's message: one part per intent, in the order asked. */
async function answer(
  intents: readonly IntentLabel[],
  entities: readonly FoundEntity[],
  customer: Customer,
  state: ConversationState,
  data: BotData,
  settings: BotSettings,
): Promise<BotDecision> {
  const p = settings.presentation;
  const texts = settings.texts;
  const name = firstName(customer.nombres);
  const notes: BotNote[] = [];
  const next = { ...state };
  const payDay = promisedDay(entities, settings);
  const finances = intents.some((i) => ACCOUNT_INTENTS.has(i)) ? await data.finances(customer.id) : null;
  const parts: string[] = [];
  for (const intent of intents) {
    const part = partFor(intent);
    if (part) parts.push(part);
  }

  function partFor(intent: IntentLabel): string | null {
    switch (intent) {
      case 'balance':
        return describeBalance(finances as CustomerFinances, p);
      case 'next_instalment':
        return describeNextInstalment(finances as CustomerFinances, p);
      case 'instalment_amount':
        // "¿Cuándo vence y cuánto es?": the next instalment's answer gives the amount already.
        return intents.includes('next_instalment') ? null : describeInstalmentAmount(finances as CustomerFinances, p);
      case 'overdue':
        return describeOverdue(finances as CustomerFinances, p);
      case 'payments':
        return describePayments(finances as CustomerFinances, p);
      case 'loans':
        return describeLoans(finances as CustomerFinances, p);
      case 'how_to_pay':
        return p.howToPay;
      case 'payment_claim': {
        const references = entities.filter((e) => e.type === 'reference');
        if (references.length === 0) return texts.paymentClaim;
        notes.push(...references.map((r) => ({ kind: 'referencia_pago' as const, value: String(r.value), text: r.text })));
        next.receiptPending = true;
        return say(texts.paymentReference, { referencia: references.map((r) => r.value).join(', ') });
      }
      case 'cannot_pay':
        if (!payDay) {
          next.pendingQuestion = 'fecha_pago';
          return texts.askPayDate;
        }
        next.mode = 'agente';
        return handedOverCannotPay(payDay, notes, settings);
      case 'promise_to_pay':
        // "No puedo esta semana pero el 30 les pago": the cannot_pay before it said it.
        if (!payDay || intents.includes('cannot_pay')) return null;
        notes.push(dayNote(payDay));
        return say(texts.promiseNoted, { fecha: formatDay(payDay.day, p.locale) });
      case 'agent':
      case 'complaint':
        if (next.mode === 'agente') return null;
        next.mode = 'agente';
        return intent === 'agent' ? texts.agent : texts.complaint;
      case 'out_of_scope':
        // Beside a question the bot answers, "that I cannot answer" is more often the model reading a story's
        // details ("se me dañó el carro") as a question than a second question: only said alone.
        return intents.some((other) => !FRAMING_INTENTS.has(other) && other !== 'out_of_scope') ? null : texts.outOfScope;
      case 'opt_out':
        notes.push({ kind: 'baja', value: 'no_escribir', text: null });
        return texts.optOut;
      default:
        // greeting, thanks, goodbye and menu frame the answer (below).
        return null;
    }
  }

  if (next.mode === 'agente') next.pendingQuestion = null;
  const has = (intent: IntentLabel) => intents.includes(intent);
  if (parts.length === 0) {
    if (has('goodbye')) return reply(text(say(texts.goodbye, { nombre: name })), next, notes);
    if (has('thanks') && !has('menu')) return reply(text(texts.thanks), next, notes);
    return reply(menu(has('greeting') || has('menu') ? say(texts.greeting, { nombre: name }) : texts.chooseOption), next, notes);
  }
  const greeting = has('greeting') ? `${say(texts.greetingBeforeAnswer, { nombre: name })} ` : '';
  const body = `${greeting}${parts.join('\n\n')}`;
  // An out-of-scope question alone (or with a greeting) gets the menu, to show what the bot can do.
  const offerMenu = has('menu') || (parts.length === 1 && has('out_of_scope'));
  return reply(offerMenu && next.mode === 'bot' ? menu(`${body}\n\n${texts.chooseOption}`) : text(body), next, notes);
}

/**
 * A bank reference typed in a message tells of a payment made, whatever else the message asks
 * ("ref 0102938475" sent after the bot asked for it; "ya se reflejó? ref 0102…"): the claim is
 * answered (and the reference noted) after a greeting, before the rest. The menu is never what a
 * reference asks for.
 */
function withClaimedPayment(intents: readonly IntentLabel[], entities: readonly FoundEntity[]): readonly IntentLabel[] {
  if (intents.includes('payment_claim') || !entities.some((e) => e.type === 'reference')) return intents;
  const rest = intents.filter((i) => i !== 'menu');
  const greeted = rest[0] === 'greeting' ? 1 : 0;
  return [...rest.slice(0, greeted), 'payment_claim', ...rest.slice(greeted)];
}

/** The customer answered "¿para qué fecha podrías pagar?": a person takes over, with the day noted when they gave one. */
function payDateAnswered(entities: readonly FoundEntity[], state: ConversationState, settings: BotSettings): BotDecision {
  const notes: BotNote[] = [];
  const says = handedOverCannotPay(promisedDay(entities, settings), notes, settings);
  return reply(text(says), { ...state, pendingQuestion: null, mode: 'agente', notUnderstood: 0 }, notes);
}

/** What a customer who cannot pay is told as a person takes over; the day they gave, if any, noted in `notes`. */
function handedOverCannotPay(day: PromisedDay | null, notes: BotNote[], settings: BotSettings): string {
  if (!day) return settings.texts.cannotPayWithoutDate;
  notes.push(dayNote(day));
  return say(settings.texts.cannotPayWithDate, { fecha: formatDay(day.day, settings.presentation.locale) });
}

const dayNote = (day: PromisedDay): BotNote => ({ kind: 'fecha_pago', value: day.day, text: day.text });

/** Not understood: the menu, and from the second in a row an agent offered. */
function notUnderstood(state: ConversationState, settings: BotSettings): BotDecision {
  const texts = settings.texts;
  const count = state.notUnderstood + 1;
  const next = { ...state, notUnderstood: count };
  if (count < NOT_UNDERSTOOD_BEFORE_AGENT) return reply(menu(texts.notUnderstood), next);
  return reply({ kind: 'buttons', body: texts.notUnderstoodAgain, buttons: [{ id: 'menu_agente', title: texts.offerAgentButton }] }, next);
}

/** A day a customer named to pay (`YYYY-MM-DD`) and how they wrote it. */
interface PromisedDay {
  day: string;
  text: string;
}

/**
 * The day a customer says they will or could pay: the first date of the message not in the past.
 * A day of the month already gone ("el 15" on the 25th) is next month's.
 */
function promisedDay(entities: readonly FoundEntity[], settings: BotSettings): PromisedDay | null {
  for (const entity of entities) {
    if (entity.type !== 'date' || !entity.day) continue;
    let day = entity.day;
    if (day < settings.today && entity.value === undefined) day = nextMonth(day);
    if (day >= settings.today) return { day, text: entity.text };
  }
  return null;
}

function nextMonth(isoDay: string): string {
  const [year, month, day] = isoDay.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month, Math.min(day, daysIn(year, month + 1))));
  return date.toISOString().slice(0, 10);
}

const daysIn = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** Noon of the lender's day, as the understanding counts "mañana" and "el viernes" from it. */
function lenderDay(isoDay: string): Date {
  const [year, month, day] = isoDay.split('-').map(Number) as [number, number, number];
  return new Date(year, month - 1, day, 12);
}

/**
 * An unknown number: the cédula, then the date of birth, before anything about a loan. A request
 * for a person, a complaint or a request for no more messages is met at any step (nothing about
 * the account is said).
 */
async function verify(message: IncomingMessage, state: ConversationState, data: BotData, settings: BotSettings): Promise<BotDecision> {
  const texts = settings.texts;
  if (state.verificationStep === 'fecha_nacimiento' && state.candidateClienteId !== null) {
    const date = parseBirthDate(message.body);
    if (!date) return beforeVerification(message, state, settings) ?? reply(text(texts.askBirthDateAgain), state);
    const candidate = await data.customer(state.candidateClienteId);
    if (candidate && candidate.fecha_nacimiento === date) {
      const verified = { ...state, clienteId: candidate.id, verificationStep: null, candidateClienteId: null, failedAttempts: 0 };
      return reply(menu(say(texts.verified, { nombre: firstName(candidate.nombres) })), verified);
    }
    return fail(state, texts.birthDateWrong, settings);
  }

  const cedula = parseCedula(message.body);
  if (!cedula) {
    const asked = state.verificationStep === 'cedula';
    const without = beforeVerification(message, state, settings);
    if (without) return without;
    return reply(text(asked ? texts.askCedulaAgain : texts.askCedula), { ...state, verificationStep: 'cedula' });
  }
  const matches = await data.customersByCedula(cedula);
  if (matches.length !== 1) return fail({ ...state, verificationStep: 'cedula' }, texts.cedulaNotFound, settings);
  const candidate = matches[0] as Customer;
  return reply(text(texts.askBirthDate), { ...state, verificationStep: 'fecha_nacimiento', candidateClienteId: candidate.id });
}

/**
 * What an unknown customer may have without proving who they are: a person (asked for, or on a
 * complaint), handed over without a word about any account; no more messages, noted for the agents.
 */
function beforeVerification(message: IncomingMessage, state: ConversationState, settings: BotSettings): BotDecision | null {
  const { intents, guessed } = settings.understanding.understand(message.body, {
    replyId: message.replyId,
    today: lenderDay(settings.today),
  });
  if (guessed) return null;
  const texts = settings.texts;
  if (intents.includes('opt_out')) return reply(text(texts.optOut), state, [{ kind: 'baja', value: 'no_escribir', text: null }]);
  const asked = intents.find((i) => HANDOVER_INTENTS.has(i));
  if (!asked) return null;
  return reply(text(asked === 'agent' ? texts.agent : texts.complaint), {
    ...state,
    mode: 'agente',
    verificationStep: null,
    candidateClienteId: null,
  });
}

function fail(state: ConversationState, retry: string, settings: BotSettings): BotDecision {
  const failedAttempts = state.failedAttempts + 1;
  if (failedAttempts >= MAX_VERIFICATION_ATTEMPTS) {
    return reply(text(settings.texts.tooManyAttempts), {
      ...state,
      failedAttempts,
      mode: 'agente',
      verificationStep: null,
      candidateClienteId: null,
    });
  }
  return reply(text(say(retry, { intentos: MAX_VERIFICATION_ATTEMPTS - failedAttempts })), { ...state, failedAttempts });
}

function reply(message: ClientMessage, state: ConversationState, notes: BotNote[] = []): BotDecision {
  return { reply: message, state, notes };
}

function text(body: string): ClientMessage {
  return { kind: 'text', body };
}
