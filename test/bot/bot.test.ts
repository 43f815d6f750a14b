import { describe, expect, it } from 'vitest';
import { decide, type BotData, type BotSettings, type Customer, type IncomingMessage } from '../../src/bot/bot.service.js';
import { DEFAULT_TEXTS } from '../../src/bot/replies.js';
import { shippedUnderstanding } from '../../src/understanding/shipped-model.js';
import type { ConversationState } from '../../src/conversations/conversation-state.js';
import type { CustomerFinances } from '../../src/crm/customer-finance.repository.js';
import { plainText } from '../../src/graph/client-message.js';
import type { IntentLabel } from '../../src/understanding/corpus-format.js';

const ana: Customer = { id: 7, nombres: 'ANA MARÍA Pérez', fecha_nacimiento: '1985-03-04' };
const finances: CustomerFinances = {
  balanceCents: 36000,
  nextInstalment: { prestamoId: 70, numero: 5, dueDate: '2026-12-01', pendingCents: 10000, daysLate: 0 },
  nextByLoan: [{ prestamoId: 70, numero: 5, dueDate: '2026-12-01', pendingCents: 10000, daysLate: 0 }],
  overdue: [{ prestamoId: 70, numero: 4, dueDate: '2026-11-01', pendingCents: 10000, daysLate: 24 }],
  loans: [
    {
      id: 70,
      producto: 'Crédito personal',
      estado: 'APROBADO',
      totalCents: 60000,
      pendingCents: 36000,
      instalments: 6,
      paidInstalments: 2,
    },
  ],
  lastPayments: [{ date: new Date('2026-10-05T14:00:00Z'), amountCents: 4000, reference: 'REF-3', bank: null }],
};
const data: BotData = {
  customer: async (id) => (id === ana.id ? ana : null),
  customersByCedula: async (digits) => (digits === '12345678' ? [ana] : []),
  finances: async () => finances,
};
const presentation = { locale: 'es-VE', currency: 'USD', howToPay: 'Paga por transferencia a la cuenta 0102-…' };
const settings: BotSettings = {
  presentation,
  texts: DEFAULT_TEXTS,
  understanding: shippedUnderstanding().understanding,
  today: '2026-11-25',
};
const fresh: ConversationState = {
  clienteId: null,
  mode: 'bot',
  verificationStep: null,
  candidateClienteId: null,
  failedAttempts: 0,
  receiptPending: false,
  notUnderstood: 0,
  pendingQuestion: null,
};

const text = (body: string, phoneClienteId: number | null = null): IncomingMessage => ({
  type: 'text',
  body,
  replyId: null,
  phoneClienteId,
});

/** Plays a conversation, returning what the bot said to each message and the final state. */
async function talk(messages: IncomingMessage[], state = fresh) {
  const said: (string | null)[] = [];
  for (const message of messages) {
    const decision = await decide(message, state, data, settings);
    said.push(decision.reply ? plainText(decision.reply) : null);
    state = decision.state;
  }
  return { said, state };
}

describe('the bot, for a customer recognised by phone', () => {
  it('greets by first name with the menu', async () => {
    const { said } = await talk([text('hola', 7)]);
    expect(said[0]).toMatch(/^¡Hola, Ana! 😊 ¿En qué te puedo ayudar\?\n1\. Saldo pendiente\n2\. Próxima cuota/);
  });

  it('answers balance, next instalment, overdue, payments and loans with the figures', async () => {
    const { said } = await talk([
      text('cuanto debo', 7),
      text('¿cuándo es mi próxima cuota?', 7),
      text('3', 7),
      text('mis ultimos pagos', 7),
      text('estado de mi prestamo', 7),
      text('como pago?', 7),
    ]);
    expect(said[0]).toMatch(/Tu saldo pendiente es de \*.*360,00\*, de los cuales .*100,00 están vencidos\./);
    expect(said[1]).toMatch(/Tu próxima cuota es la \*N° 5\*, vence el \*1 de diciembre de 2026\* por \*.*100,00\*\./);
    expect(said[2]).toMatch(/Tienes 1 cuota atrasada:\n• Cuota N° 4: .*100,00, venció el 1 de noviembre de 2026 \(24 días de atraso\)/);
    expect(said[3]).toMatch(/Tus últimos pagos:\n• 5 de octubre de 2026: .*40,00 \(ref\. REF-3\)/);
    expect(said[4]).toMatch(/Crédito personal N° 70 \(.*600,00\): activo, 2\/6 cuotas pagadas/);
    expect(said[5]).toBe('Paga por transferencia a la cuenta 0102-…');
  });

  it('says what one instalment comes to: the next one, or the oldest overdue one when none is to come', async () => {
    const { said } = await talk([text('de cuanto es la cuota?', 7)]);
    expect(said[0]).toMatch(/Tu próxima cuota es la \*N° 5\*: te toca pagar \*.*100,00\*/);
    const onlyOverdue: BotData = { ...data, finances: async () => ({ ...finances, nextInstalment: null, nextByLoan: [] }) };
    const decision = await decide(text('de cuanto es la cuota?', 7), fresh, onlyOverdue, settings);
    expect(decision.reply && plainText(decision.reply)).toMatch(/tu cuota atrasada \*N° 4\* es de \*.*100,00\*/);
  });

  it('gives the next instalment of each loan to a customer with two, and "when and how much" once', async () => {
    const moto = { prestamoId: 71, numero: 6, dueDate: '2026-11-30', pendingCents: 12000, daysLate: 0 };
    const comercio = { prestamoId: 70, numero: 10, dueDate: '2026-11-30', pendingCents: 47000, daysLate: 0 };
    const loans = [
      { ...(finances.loans[0] as CustomerFinances['loans'][number]), producto: 'Crédito comercio' },
      { id: 71, producto: 'Crédito moto', estado: 'APROBADO', totalCents: 96000, pendingCents: 12000, instalments: 8, paidInstalments: 5 },
    ];
    const twoLoans: BotData = {
      ...data,
      finances: async () => ({ ...finances, loans, nextInstalment: moto, nextByLoan: [moto, comercio] }),
    };
    const answer = async (body: string) => {
      const decision = await decide(text(body, 7), fresh, twoLoans, settings);
      return decision.reply ? plainText(decision.reply) : null;
    };
    const both =
      /^Tus próximas cuotas, una por préstamo:\n• Crédito moto: cuota N° 6, vence el 30 de noviembre de 2026 por \*.*120,00\*\n• Crédito comercio: cuota N° 10, vence el 30 de noviembre de 2026 por \*.*470,00\*$/;
    expect(await answer('cuando vence mi proxima cuota?')).toMatch(both);
    expect(await answer('de cuanto es la cuota?')).toMatch(both);
    // Asked together, answered once.
    const whenAndHowMuch = await answer('cuando vence la proxima cuota y de cuanto es?');
    expect(whenAndHowMuch?.match(/Tus próximas cuotas/g)).toHaveLength(1);
  });

  it('says "that I cannot answer" only when nothing else in the message was answered', async () => {
    const reading = (intents: IntentLabel[]) =>
      ({ ...settings, understanding: { understand: () => ({ intents, entities: [], guessed: false }) } }) as unknown as BotSettings;
    const said = async (intents: IntentLabel[]) => {
      const decision = await decide(text('…', 7), fresh, data, reading(intents));
      return decision.reply ? plainText(decision.reply) : '';
    };
    expect(await said(['cannot_pay', 'out_of_scope'])).not.toMatch(/Eso no lo puedo responder/);
    expect(await said(['cannot_pay', 'out_of_scope'])).toMatch(/¿Para qué fecha podrías hacer el pago\?/);
    expect(await said(['greeting', 'out_of_scope'])).toMatch(/Eso no lo puedo responder/);
    expect(await said(['out_of_scope'])).toMatch(/^Eso no lo puedo responder.*\n\nElige una opción:/s);
  });

  it('answers several questions in one message', async () => {
    const { said } = await talk([text('Hola! cuanto debo y cuando vence la proxima cuota', 7)]);
    expect(said[0]).toMatch(/^¡Hola, Ana! Tu saldo pendiente es .*\n\nTu próxima cuota es la \*N° 5\*/s);
  });

  it('does not take "chibi" for a greeting, and offers the menu', async () => {
    const { said } = await talk([text('chibi', 7)]);
    expect(said[0]).toMatch(/^No estoy seguro de haber entendido\. Elige una opción:\n1\. Saldo pendiente/);
  });

  it('stays quiet for reactions, acknowledges documents and flags them as receipts', async () => {
    const reaction = await decide({ type: 'reaction', body: '👍', replyId: null, phoneClienteId: 7 }, fresh, data, settings);
    expect(reaction.reply).toBeNull();
    const document = await decide(
      { type: 'document', body: '[documento] comprobante.pdf', replyId: null, phoneClienteId: 7 },
      fresh,
      data,
      settings,
    );
    expect(document.reply && plainText(document.reply)).toMatch(/Recibimos tu archivo/);
    expect(document.state.receiptPending).toBe(true);
  });

  it('hands over to an agent when asked, then goes quiet', async () => {
    const { said, state } = await talk([text('quiero hablar con un asesor', 7), text('hola?', 7)]);
    expect(said).toEqual([expect.stringMatching(/Te comunico con un asesor/), null]);
    expect(state.mode).toBe('agente');
  });
});

describe('the bot, for an unknown number', () => {
  it('asks for the cédula, then the date of birth, and only then gives figures', async () => {
    const { said, state } = await talk([text('cuanto debo'), text('V-12.345.678'), text('04/03/1985'), text('cuanto debo')]);
    expect(said[0]).toMatch(/¿Cuál es tu número de cédula\?/);
    expect(said[0]).not.toMatch(/\d+,\d\d/);
    expect(said[1]).toMatch(/¿cuál es tu fecha de nacimiento\?/);
    expect(said[2]).toMatch(/^¡Gracias, Ana! Ya verifiqué tu identidad/);
    expect(said[3]).toMatch(/Tu saldo pendiente es de/);
    expect(state.clienteId).toBe(7);
  });

  it('hands over to an agent after three wrong dates, and goes quiet without disclosing anything', async () => {
    const { said, state } = await talk([
      text('hola'),
      text('12345678'),
      text('01/01/1990'),
      text('02/01/1990'),
      text('03/01/1990'),
      text('cuanto debo'),
    ]);
    expect(said[2]).toMatch(/te quedan 2 intentos/);
    expect(said[3]).toMatch(/te quedan 1 intentos/);
    expect(said[4]).toMatch(/Un asesor continuará/);
    expect(said[5]).toBeNull();
    expect(state).toMatchObject({ mode: 'agente', clienteId: null });
    expect(said.join('\n')).not.toMatch(/360|saldo pendiente es/);
  });

  it('counts unknown cédulas as failed attempts too', async () => {
    const { said, state } = await talk([text('V-99999999'), text('V-88888888'), text('V-77777777')]);
    expect(said[0]).toMatch(/No encontré esa cédula/);
    expect(said[2]).toMatch(/Un asesor continuará/);
    expect(state.mode).toBe('agente');
  });

  it('does not take a document placeholder for a cédula answer', async () => {
    const document = await decide(
      { type: 'document', body: '[documento] 12345678.pdf', replyId: null, phoneClienteId: null },
      fresh,
      data,
      settings,
    );
    expect(document.state.verificationStep).toBeNull();
    expect(document.reply && plainText(document.reply)).toMatch(/Recibimos tu archivo/);
  });
});

describe('the bot, asked "¿para qué fecha podrías pagar?"', () => {
  it('takes "ya pagué" as a payment claimed, not as a day: it asks for the receipt and keeps the conversation', async () => {
    const asked = { ...fresh, clienteId: 7, pendingQuestion: 'fecha_pago' as const };
    const decision = await decide(text('no, ya pague, mi esposa te manda el capture mañana', 7), asked, data, settings);
    expect(decision.reply && plainText(decision.reply)).toMatch(/envíame la foto del comprobante o el número de referencia/);
    expect(decision.state).toMatchObject({ mode: 'bot', pendingQuestion: null });
    const withDay = await decide(text('el viernes', 7), asked, data, settings);
    expect(withDay.state).toMatchObject({ mode: 'agente', pendingQuestion: null });
  });
});

describe('the bot, when the model only guesses', () => {
  // No intent reaches the threshold: every intent the model gives is its likeliest guess.
  const guessing: BotSettings = { ...settings, understanding: shippedUnderstanding().understanding.withThreshold(2, 0) };
  const say = async (body: string, phoneClienteId: number | null, state = fresh) => {
    const decision = await decide(text(body, phoneClienteId), state, data, guessing);
    return { said: decision.reply ? plainText(decision.reply) : null, state: decision.state, notes: decision.notes };
  };

  it('answers a guessed question with the figures, but does not hand over, note or ask for a receipt on a guess', async () => {
    expect((await say('cuanto debo', 7)).said).toMatch(/Tu saldo pendiente es de/);
    for (const body of ['esto es un robo', 'quiero hablar con un asesor', 'no puedo pagar', 'ya pague', 'el viernes les pago']) {
      const { said, state, notes } = await say(body, 7);
      expect(said, body).toMatch(/^No estoy seguro de haber entendido/);
      expect(state.mode).toBe('bot');
      expect(notes).toEqual([]);
    }
  });

  it('counts a guessed greeting, thanks or goodbye as not understood, so that the offer of a person still comes', async () => {
    const first = await say('holaa', 7);
    expect(first.said).toMatch(/^No estoy seguro de haber entendido/);
    const second = await say('graciaas', 7, first.state);
    expect(second.said).toMatch(/^Sigo sin entenderte/);
    expect(second.state.notUnderstood).toBe(2);
  });

  it('does not take a guessed payment for an answer to "¿para qué fecha podrías pagar?": the day is still asked for', async () => {
    const { said, state } = await say('ya pague', 7, { ...fresh, clienteId: 7, pendingQuestion: 'fecha_pago' });
    expect(said).toMatch(/Un asesor revisará tu caso/);
    expect(state.mode).toBe('agente');
  });

  it('asks an unknown number for its cédula instead of handing it over on a guessed complaint', async () => {
    const { said, state } = await say('esto es un robo', null);
    expect(said).toMatch(/¿Cuál es tu número de cédula\?/);
    expect(state.mode).toBe('bot');
  });

  it('still takes a menu choice and an explicit opt-out, which are rules, not guesses', async () => {
    expect((await say('7', 7)).said).toMatch(/Te comunico con un asesor/);
    expect((await say('STOP', null)).notes.map((n) => n.kind)).toEqual(['baja']);
  });
});
