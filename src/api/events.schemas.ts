import { z } from 'zod';

/**
 * The shapes of the inbox's live events (`GET /api/v1/eventos`, Server-Sent Events), shared with
 * the web front end: this file imports only zod. Each SSE message is `id: <id>`, `event: <tipo>`
 * and `data: <JSON of liveEventSchema>`; `event: reinicio` carries `restartEventSchema` instead.
 * An event says what changed and where: read the change itself through the API.
 */

/** `mensaje`: a message row stored (`datos.direccion`); `estado`: its delivery changed (`datos.status` from Meta, or `datos.envio` from the sender); `conversacion`: taken over, returned, handed over by the bot, read, receipt reviewed, linked (`datos.cambio`). */
export const EVENT_TYPES = ['mensaje', 'estado', 'conversacion'] as const;
export const eventTypeSchema = z.enum(EVENT_TYPES);
export type EventType = z.infer<typeof eventTypeSchema>;

export const liveEventSchema = z.object({
  id: z.number().int().describe('The event id: the SSE `id`, sent back as `Last-Event-ID` on reconnection.'),
  tipo: eventTypeSchema,
  wa_number: z.string().describe('The conversation (WhatsApp number) that changed.'),
  conversacion_id: z.number().int().nullable().describe('The message row (conversaciones_whatsapp.id) concerned, if any.'),
  datos: z
    .record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]))
    .nullable()
    .describe(
      'Details: `direccion` (INBOUND/OUTBOUND), `status` (sent/delivered/read/failed), `envio` (enviado/fallido), `cambio` (tomada/devuelta/traspasada/leida/comprobante_revisado/vinculada).',
    ),
  creado_en: z.string().describe('ISO 8601 UTC'),
});
export type LiveEvent = z.infer<typeof liveEventSchema>;

/** Why the browser must reload its lists instead of applying events. */
export const RESTART_REASONS = ['eventos_borrados', 'demasiados', 'id_desconocido'] as const;

/** `event: reinicio`: events were missed that cannot be replayed; reload the lists, then carry on from `ultimo_id`. */
export const restartEventSchema = z.object({
  motivo: z.enum(RESTART_REASONS),
  ultimo_id: z.number().int().nullable().describe('The newest event id now (the SSE `id` of this message), null when there is none.'),
});
export type RestartEvent = z.infer<typeof restartEventSchema>;

const eventId = z
  .string()
  .regex(/^\d{1,10}$/, 'must be an event id (digits)')
  .transform(Number)
  .pipe(z.number().int().max(2_147_483_647));

export const eventsQuerySchema = z.object({
  desde: eventId.optional().describe('On the first connection: replay the stored events after this id (`0`: all kept).'),
});

export const eventsHeadersSchema = z.object({
  'last-event-id': eventId.optional().describe('Sent by EventSource on reconnection: replay the events after it.'),
});
