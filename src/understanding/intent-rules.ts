import type { IntentLabel } from './corpus-format.js';
import { normalisedWords } from './text-normalisation.js';

/**
 * Where a rule is surer than a model. The menu's interactive ids and numbers mean one thing each;
 * an explicit request to stop messages is honoured however the rest of the message reads.
 */

/** The menu's options: the ids of its interactive rows and, in this order, the numbers "1" to "7" (src/bot/intents.ts MENU). */
export const MENU_CHOICES: readonly { id: string; intent: IntentLabel }[] = [
  { id: 'menu_saldo', intent: 'balance' },
  { id: 'menu_proxima', intent: 'next_instalment' },
  { id: 'menu_atrasadas', intent: 'overdue' },
  { id: 'menu_pagos', intent: 'payments' },
  { id: 'menu_prestamos', intent: 'loans' },
  { id: 'menu_como_pagar', intent: 'how_to_pay' },
  { id: 'menu_agente', intent: 'agent' },
];

/** A menu choice: an interactive row's id, or a message that is only an option's number ("2", "opción 2", "#2"). */
export function menuChoice(text: string, replyId: string | null = null): IntentLabel | null {
  if (replyId !== null) return MENU_CHOICES.find((choice) => choice.id === replyId)?.intent ?? null;
  const number = /^\s*(?:(?:opci[oó]n|opc|la|el|numero|número|nro)\.?\s*)?#?\s*(\d)\s*[.)!]*\s*$/iu.exec(text)?.[1];
  return number === undefined ? null : (MENU_CHOICES[Number(number) - 1]?.intent ?? null);
}

/** Unmistakable requests to stop messages, as normalised words. */
const OPT_OUT_PHRASES = [
  'stop',
  'unsubscribe',
  'desuscribir',
  'desuscribirme',
  'darme de baja',
  'denme de baja',
  'no me escriban',
  'no me escriba',
  'no me sigan escribiendo',
  'dejen de escribirme',
  'dejen de escribir',
  'dejen de enviarme',
  'dejen de mandarme',
  'dejen de mandar mensajes',
  'dejen de enviar mensajes',
  'no me manden mas mensajes',
  'no me envien mas mensajes',
  'no quiero recibir mas mensajes',
  'no quiero mas mensajes',
  'no me contacten',
  'borrenme de su lista',
  'saquenme de la lista',
  'saquenme de su lista',
].map((phrase) => normalisedWords(phrase).map((w) => w.word));

/** Where an explicit request to stop messages starts, or null when the message has none. */
export function explicitOptOut(text: string): number | null {
  const words = normalisedWords(text);
  for (let start = 0; start < words.length; start++) {
    if (OPT_OUT_PHRASES.some((phrase) => phrase.every((word, i) => words[start + i]?.word === word))) return words[start]?.at ?? 0;
  }
  return null;
}

/** Answers that ask nothing: "si", "no", "ok", "dale", "listo". They answer the bot; they are no intent. */
const BARE_ANSWERS = new Set(['si', 'no', 'ok', 'dale', 'bueno', 'listo', 'vale', 'claro', 'aja', 'ya', 'sip', 'nop', 'nope', 'yes']);

const YES = new Set(['si', 'sip', 'ok', 'okey', 'dale', 'bueno', 'listo', 'vale', 'claro', 'aja', 'yes', 'va', 'porfavor']);
const NO = new Set(['no', 'nop', 'nope', 'tranquilo', 'tranquila']);
const COURTESY = new Set(['por', 'favor', 'porfa', 'plis', 'please', 'gracias']);

/**
 * A yes or a no to a question the bot asked, when that is all the message says ("si", "dale porfa",
 * "sí por favor", "no gracias"); null for anything else, and for a message that says both.
 */
export function yesOrNo(text: string): 'yes' | 'no' | null {
  const words = normalisedWords(text).map((w) => w.word);
  if (words.length === 0 || words.length > 4 || !words.every((w) => YES.has(w) || NO.has(w) || COURTESY.has(w))) return null;
  const [yes, no] = [words.some((w) => YES.has(w)), words.some((w) => NO.has(w))];
  return yes === no ? null : yes ? 'yes' : 'no';
}

/** Whether a message is only such an answer (its words, in any case, with any punctuation or emoji). */
export function isBareAnswer(text: string): boolean {
  const words = normalisedWords(text).map((w) => w.word);
  return words.length > 0 && words.length <= 2 && words.every((word) => BARE_ANSWERS.has(word));
}
