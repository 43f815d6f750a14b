import { z } from 'zod';

/**
 * The shapes of the inbox's statistics page (GET /api/v1/estadisticas), shared with the web front
 * end: this file imports only zod. docs/api.md says what each series counts.
 */

/** The ranges the page offers, in days (today included). */
export const RANGOS_DIAS = ['7', '30', '90'] as const;

export const estadisticasQuery = z.object({
  dias: z
    .enum(RANGOS_DIAS, { error: 'dias must be 7, 30 or 90' })
    .default('30')
    .describe("The last 7, 30 or 90 days of the lender's calendar (TIMEZONE), today included; 30 unless given."),
});

const porDia = z.array(z.number().int().min(0));

/** One value per day of `dias`, in the same order, zeros included. */
export const estadisticasSeries = z.object({
  mensajes_entrantes: porDia.describe('INBOUND messages, by their timestamp.'),
  mensajes_salientes: porDia.describe('OUTBOUND messages (bot, agents, API tokens), by their timestamp.'),
  respuestas_bot: porDia.describe("The bot's replies: OUTBOUND messages whose outbox entry answers an inbound message."),
  respuestas_agentes: porDia.describe("Agents' messages: OUTBOUND messages whose outbox entry names an agent."),
  traspasos: porDia.describe('Conversations handed to an agent, by the bot or taken over by an agent.'),
  devoluciones: porDia.describe('Conversations given back to the bot.'),
  primeras_respuestas: porDia.describe("Handoffs of the day an agent answered: the count behind the day's median."),
  primera_respuesta_mediana_segundos: z
    .array(z.number().int().min(0).nullable())
    .describe("Median seconds to an agent's first response, over the day's handoffs that got one; null when none did."),
  remitentes_sin_identificar: porDia.describe('Distinct numbers that wrote that day without being identified as a customer.'),
  fallos_entrega: porDia.describe('OUTBOUND messages Meta reported as failed that day.'),
});

export const fallosPorCodigo = z.array(
  z.object({
    codigo: z.number().int().nullable().describe("Meta's error code; null when the failure came without one."),
    titulo: z.string().nullable().describe("Meta's title for the code, as last given."),
    total: z.number().int().min(1),
  }),
);

export const estadisticasRespuesta = z.object({
  zona_horaria: z.string().describe("The lender's time zone the days are counted in."),
  desde: z.string().describe('The first day, YYYY-MM-DD.'),
  hasta: z.string().describe('The last day (today), YYYY-MM-DD.'),
  dias: z.array(z.string()).describe('Every day of the range, oldest first, YYYY-MM-DD.'),
  series: estadisticasSeries,
  totales: z
    .object({
      mensajes_entrantes: z.number().int(),
      mensajes_salientes: z.number().int(),
      respuestas_bot: z.number().int(),
      respuestas_agentes: z.number().int(),
      traspasos: z.number().int(),
      devoluciones: z.number().int(),
      primeras_respuestas: z.number().int(),
      primera_respuesta_mediana_segundos: z.number().int().nullable().describe('The median over every handoff of the range.'),
      remitentes_sin_identificar: z.number().int().describe('Distinct numbers over the whole range (not the sum of the days).'),
      fallos_entrega: z.number().int(),
    })
    .describe('The same counts over the whole range.'),
  fallos_por_codigo: fallosPorCodigo.describe("The range's failed deliveries by Meta's error code, most frequent first."),
});

export type EstadisticasQuery = z.infer<typeof estadisticasQuery>;
export type EstadisticasRespuesta = z.infer<typeof estadisticasRespuesta>;
export type EstadisticasSeries = z.infer<typeof estadisticasSeries>;
