import { findPhrase, words } from './text-matching.js';

export type Intent =
  'greeting' | 'balance' | 'next_instalment' | 'overdue' | 'payments' | 'loans' | 'how_to_pay' | 'agent' | 'menu' | 'thanks';

/** The numbered menu (and the ids of its interactive rows). */
export const MENU: readonly { id: string; intent: Intent; title: string; description: string }[] = [
  { id: 'menu_saldo', intent: 'balance', title: 'Saldo pendiente', description: 'Cuánto debes en total' },
  { id: 'menu_proxima', intent: 'next_instalment', title: 'Próxima cuota', description: 'Fecha y monto' },
  { id: 'menu_atrasadas', intent: 'overdue', title: 'Cuotas atrasadas', description: 'Vencidas y días de atraso' },
  { id: 'menu_pagos', intent: 'payments', title: 'Últimos pagos', description: 'Pagos registrados' },
  { id: 'menu_prestamos', intent: 'loans', title: 'Mis préstamos', description: 'Estado de cada préstamo' },
  { id: 'menu_como_pagar', intent: 'how_to_pay', title: 'Cómo pagar', description: 'Cuentas y referencias' },
  { id: 'menu_agente', intent: 'agent', title: 'Hablar con un asesor', description: 'Te atiende una persona' },
];

/** Phrases per intent, in the words customers use. Each is matched as whole, consecutive words. */
const PHRASES: Record<Intent, string[]> = {
  greeting: [
    'hola',
    'ola',
    'holaa',
    'buenas',
    'buen dia',
    'buenos dias',
    'buenas tardes',
    'buenas noches',
    'saludos',
    'hi',
    'hello',
    'hey',
    'epa',
  ],
  balance: ['saldo', 'cuanto debo', 'debo', 'deuda', 'adeudo', 'cuanto me falta', 'total a pagar', 'monto pendiente', 'balance'],
  next_instalment: [
    'proxima cuota',
    'siguiente cuota',
    'proximo pago',
    'cuando pago',
    'cuando tengo que pagar',
    'cuando vence',
    'vencimiento',
    'fecha de pago',
    'cuando es mi cuota',
    'cuota',
  ],
  overdue: [
    'cuotas atrasadas',
    'cuota atrasada',
    'cuotas vencidas',
    'cuota vencida',
    'cuotas pendientes',
    'atrasada',
    'atrasadas',
    'atraso',
    'atrasado',
    'retraso',
    'vencida',
    'vencidas',
    'mora',
    'dias de atraso',
    'morosidad',
  ],
  payments: ['mis pagos', 'ultimos pagos', 'ultimo pago', 'pagos', 'historial', 'abonos', 'ya pague', 'pague'],
  loans: ['prestamo', 'prestamos', 'credito', 'creditos', 'financiamiento', 'estado de mi prestamo'],
  how_to_pay: [
    'como pago',
    'como pagar',
    'como puedo pagar',
    'donde pago',
    'donde pagar',
    'datos bancarios',
    'cuenta bancaria',
    'numero de cuenta',
    'pago movil',
    'transferencia',
  ],
  agent: [
    'agente',
    'asesor',
    'asesora',
    'humano',
    'persona',
    'operador',
    'operadora',
    'hablar con alguien',
    'atencion al cliente',
    'ejecutivo',
  ],
  menu: ['menu', 'opciones', 'ayuda', 'help', 'inicio'],
  thanks: ['gracias', 'muchas gracias', 'thank you', 'thanks', 'ok gracias'],
};

const COMPILED = (Object.entries(PHRASES) as [Intent, string[]][]).flatMap(([intent, phrases]) =>
  phrases.map((phrase) => ({ intent, phrase: words(phrase) })),
);

/**
 * The intents of a message, in the order the customer wrote them. A longer phrase claims its words
 * first, so "cuándo pago la próxima cuota" is one intent, not three.
 */
export function detectIntents(text: string): Intent[] {
  const written = words(text);
  const claimed = new Array<boolean>(written.length).fill(false);
  const found: { intent: Intent; at: number }[] = [];
  const byLength = [...COMPILED].sort((a, b) => b.phrase.length - a.phrase.length);
  for (const { intent, phrase } of byLength) {
    let at = findPhrase(written, phrase);
    while (at >= 0) {
      const span = claimed.slice(at, at + phrase.length);
      if (span.every((c) => !c)) {
        span.forEach((_, i) => (claimed[at + i] = true));
        found.push({ intent, at });
      }
      const rest = findPhrase(written.slice(at + 1), phrase);
      at = rest < 0 ? -1 : at + 1 + rest;
    }
  }
  const ordered = found.sort((a, b) => a.at - b.at).map((f) => f.intent);
  return [...new Set(ordered)];
}

/** A menu choice: "1"…"7", or the id of an interactive row or button. */
export function menuChoice(text: string, replyId: string | null): Intent | null {
  if (replyId) return MENU.find((m) => m.id === replyId)?.intent ?? null;
  const only = words(text);
  if (only.length === 1 && /^\d+$/.test(only[0] as string)) return MENU[Number(only[0]) - 1]?.intent ?? null;
  return null;
}
