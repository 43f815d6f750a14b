import type { CustomerFinances } from '../crm/customer-finance.repository.js';
import type { ConversationState } from '../conversations/conversation-state.js';
import type { CustomerIdentity } from '../customers/customer.repository.js';
import type { ClientMessage } from '../graph/client-message.js';
import { parseBirthDate, parseCedula } from './identity-parsing.js';
import { detectIntents, menuChoice, type Intent } from './intents.js';
import {
  describeBalance,
  describeLoans,
  describeNextInstalment,
  describeOverdue,
  describePayments,
  firstName,
  menu,
  replies,
  type Presentation,
} from './replies.js';

export const MAX_VERIFICATION_ATTEMPTS = 3;

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

export interface BotDecision {
  /** null: no reply (reactions, agent mode). */
  reply: ClientMessage | null;
  state: ConversationState;
}

const RECEIPT_TYPES = new Set(['image', 'document']);
const SILENT_TYPES = new Set(['reaction', 'unsupported']);

/**
 * The bot (docs/bot.md): identifies the customer by phone, or verifies them by cédula and date of
 * birth before any figure; answers from the CRM's data; hands over to an agent when asked or after
 * three failed verifications; stays quiet for reactions and while an agent holds the conversation.
 */
export async function decide(
  message: IncomingMessage,
  current: ConversationState,
  data: BotData,
  presentation: Presentation,
): Promise<BotDecision> {
  const state = { ...current };
  if (state.mode === 'agente' || SILENT_TYPES.has(message.type)) return { reply: null, state };
  if (RECEIPT_TYPES.has(message.type)) return { reply: text(replies.receipt()), state: { ...state, receiptPending: true } };

  state.clienteId ??= message.phoneClienteId;
  if (state.clienteId === null) return verify(message, state, data);

  const customer = await data.customer(state.clienteId);
  if (!customer) return verify(message, { ...state, clienteId: null }, data);
  const choice = menuChoice(message.body, message.replyId);
  const intents: Intent[] = choice ? [choice] : detectIntents(message.body);
  return answer(intents, customer, state, data, presentation);
}

async function answer(
  intents: Intent[],
  customer: Customer,
  state: ConversationState,
  data: BotData,
  p: Presentation,
): Promise<BotDecision> {
  const name = firstName(customer.nombres);
  if (intents.includes('agent')) return { reply: text(replies.agent()), state: { ...state, mode: 'agente' } };
  const questions = intents.filter((i) => i !== 'greeting' && i !== 'thanks' && i !== 'menu');
  if (questions.length === 0) {
    if (intents.includes('thanks')) return { reply: text(replies.thanks()), state };
    const greeted = intents.includes('greeting') || intents.includes('menu');
    return { reply: menu(greeted ? replies.greeting(name) : replies.notUnderstood()), state };
  }
  const finances = await data.finances(customer.id);
  const parts = questions.map((intent) => {
    switch (intent) {
      case 'balance':
        return describeBalance(finances, p);
      case 'next_instalment':
        return describeNextInstalment(finances, p);
      case 'overdue':
        return describeOverdue(finances, p);
      case 'payments':
        return describePayments(finances, p);
      case 'loans':
        return describeLoans(finances, p);
      default:
        return p.howToPay;
    }
  });
  const greeting = intents.includes('greeting') ? `¡Hola, ${name}! ` : '';
  return { reply: text(`${greeting}${parts.join('\n\n')}`), state };
}

async function verify(message: IncomingMessage, state: ConversationState, data: BotData): Promise<BotDecision> {
  if (state.verificationStep === 'fecha_nacimiento' && state.candidateClienteId !== null) {
    const date = parseBirthDate(message.body);
    if (!date) return { reply: text(replies.askBirthDateAgain()), state };
    const candidate = await data.customer(state.candidateClienteId);
    if (candidate && candidate.fecha_nacimiento === date) {
      const verified = { ...state, clienteId: candidate.id, verificationStep: null, candidateClienteId: null, failedAttempts: 0 };
      return { reply: menu(`${replies.verified(firstName(candidate.nombres))} ¿En qué te puedo ayudar?`), state: verified };
    }
    return fail(state, replies.birthDateWrong);
  }

  const cedula = parseCedula(message.body);
  if (!cedula) {
    const asked = state.verificationStep === 'cedula';
    return { reply: text(asked ? replies.askCedulaAgain() : replies.askCedula()), state: { ...state, verificationStep: 'cedula' } };
  }
  const matches = await data.customersByCedula(cedula);
  if (matches.length !== 1) return fail({ ...state, verificationStep: 'cedula' }, replies.cedulaNotFound);
  const candidate = matches[0] as Customer;
  return {
    reply: text(replies.askBirthDate()),
    state: { ...state, verificationStep: 'fecha_nacimiento', candidateClienteId: candidate.id },
  };
}

function fail(state: ConversationState, retry: (left: number) => string): BotDecision {
  const failedAttempts = state.failedAttempts + 1;
  if (failedAttempts >= MAX_VERIFICATION_ATTEMPTS) {
    return {
      reply: text(replies.tooManyAttempts()),
      state: { ...state, failedAttempts, mode: 'agente', verificationStep: null, candidateClienteId: null },
    };
  }
  return { reply: text(retry(MAX_VERIFICATION_ATTEMPTS - failedAttempts)), state: { ...state, failedAttempts } };
}

function text(body: string): ClientMessage {
  return { kind: 'text', body };
}
