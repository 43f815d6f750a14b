/**
 * The sandbox's message templates, in the shape Meta lists them (`GET /{waba-id}/message_templates`):
 * three approved UTILITY templates a lender uses and one still pending review, so that the
 * template picker can be tried without a Meta account.
 */
export const SANDBOX_TEMPLATES: readonly Record<string, unknown>[] = [
  {
    id: '900000000000001',
    name: 'recordatorio_pago',
    language: 'es',
    category: 'UTILITY',
    status: 'APPROVED',
    components: [
      {
        type: 'BODY',
        text: 'Hola {{1}}, te recordamos que tu cuota de {{2}} vence el {{3}}. Si ya pagaste, envíanos el comprobante por este medio. ¡Gracias!',
        example: { body_text: [['Ana', '$50,00', '5 de marzo de 2026']] },
      },
      { type: 'FOOTER', text: 'Responde a este mensaje si tienes dudas.' },
    ],
  },
  {
    id: '900000000000002',
    name: 'pago_recibido',
    language: 'es',
    category: 'UTILITY',
    status: 'APPROVED',
    components: [
      {
        type: 'BODY',
        text: 'Hola {{1}}, recibimos tu pago de {{2}} el {{3}}. ¡Gracias por mantenerte al día!',
        example: { body_text: [['Ana', '$50,00', '2 de marzo de 2026']] },
      },
    ],
  },
  {
    id: '900000000000003',
    name: 'seguimiento_conversacion',
    language: 'es',
    category: 'UTILITY',
    status: 'APPROVED',
    components: [
      {
        type: 'BODY',
        text: 'Hola {{1}}, te escribimos para dar seguimiento a tu consulta. Responde a este mensaje y un asesor te atenderá.',
        example: { body_text: [['Ana']] },
      },
    ],
  },
  {
    id: '900000000000004',
    name: 'cuota_vencida',
    language: 'es',
    category: 'UTILITY',
    status: 'PENDING',
    components: [
      {
        type: 'BODY',
        text: 'Hola {{1}}, tu cuota de {{2}} venció el {{3}}. Escríbenos para ayudarte a ponerte al día.',
        example: { body_text: [['Ana', '$50,00', '1 de marzo de 2026']] },
      },
    ],
  },
];

/**
 * One page of the sandbox's template list for `url` (its `limit` and `after`), with Meta's
 * `paging.next` when more follow; `origin` is the sandbox's own address.
 */
export function sandboxTemplatePage(url: URL, origin: string): { data: Record<string, unknown>[]; paging: Record<string, unknown> } {
  const limit = Math.min(100, Math.max(1, Number(url.searchParams.get('limit')) || 25));
  const start = Math.max(0, Number(url.searchParams.get('after')) || 0);
  const data = SANDBOX_TEMPLATES.slice(start, start + limit).map((t) => structuredClone(t));
  const end = start + data.length;
  const cursors = { before: String(start), after: String(end) };
  if (end >= SANDBOX_TEMPLATES.length) return { data, paging: { cursors } };
  const next = new URL(`${origin}${url.pathname}`);
  next.search = url.search;
  next.searchParams.set('after', String(end));
  return { data, paging: { cursors, next: next.toString() } };
}
