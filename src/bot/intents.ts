import type { IntentLabel } from '../understanding/corpus-format.js';

/**
 * The numbered menu: its options in order ("1" is the first) and the ids of its interactive rows.
 * The understanding reads a choice (src/understanding/intent-rules.ts MENU_CHOICES, the same ids
 * and order); this is what the customer sees.
 */
export const MENU: readonly { id: string; intent: IntentLabel; title: string; description: string }[] = [
  { id: 'menu_saldo', intent: 'balance', title: 'Saldo pendiente', description: 'Cuánto debes en total' },
  { id: 'menu_proxima', intent: 'next_instalment', title: 'Próxima cuota', description: 'Fecha y monto' },
  { id: 'menu_atrasadas', intent: 'overdue', title: 'Cuotas atrasadas', description: 'Vencidas y días de atraso' },
  { id: 'menu_pagos', intent: 'payments', title: 'Últimos pagos', description: 'Pagos registrados' },
  { id: 'menu_prestamos', intent: 'loans', title: 'Mis préstamos', description: 'Estado de cada préstamo' },
  { id: 'menu_como_pagar', intent: 'how_to_pay', title: 'Cómo pagar', description: 'Cuentas y referencias' },
  { id: 'menu_agente', intent: 'agent', title: 'Hablar con un asesor', description: 'Te atiende una persona' },
];
