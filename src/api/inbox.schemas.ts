import { z } from 'zod';

/**
 * The shapes of the inbox's API (/api/v1/conversaciones…), shared with the web front end: this file
 * imports only zod, so the browser bundle can import it and use `z.infer` types. Field names follow
 * docs/glossary.md: Charla's own in Spanish, Meta's (`status`, `media_id`, `title`…) as Meta names them.
 */

/** The UI shows "ventana por cerrar" when the 24-hour window closes within this time. */
export const WINDOW_CLOSING_SOON_MS = 2 * 60 * 60 * 1000;

/** `filtro` of the list and the keys of the summary's counts. */
export const INBOX_FILTERS = ['todas', 'mias', 'sin_identificar', 'comprobante', 'ventana', 'fallidos'] as const;
export type InboxFilter = (typeof INBOX_FILTERS)[number];

const isoTime = z.string().describe('ISO 8601 UTC');

/** A `conversaciones_whatsapp` row as the API returns it (src/api/message-row.ts). */
export const messageRowSchema = z.object({
  id: z.number().int(),
  message_id: z.string().nullable(),
  from_number: z.string(),
  to_number: z.string(),
  message_type: z.string(),
  body: z.string().nullable(),
  timestamp: isoTime.nullable(),
  direccion: z.enum(['INBOUND', 'OUTBOUND']),
  cliente_id: z.number().int().nullable(),
  procesado: z.boolean(),
  respuesta_enviada: z.boolean(),
  respuesta_id: z.number().int().nullable(),
  respuesta_bot: z.string().nullable(),
  respuesta_meta_id: z.string().nullable(),
  error: z.string().nullable(),
  creado_en: isoTime.nullable(),
  actualizado_en: isoTime.nullable(),
});
export type MessageRowShape = z.infer<typeof messageRowSchema>;

const agentRef = z.object({ id: z.number().int(), nombre: z.string() });

/** One WhatsApp number as the inbox lists it. */
export const conversationEntrySchema = z.object({
  wa_number: z.string(),
  cliente: z.object({ id: z.number().int(), nombres: z.string() }).nullable(),
  /** No customer is linked to the number (`cliente` is null). */
  sin_identificar: z.boolean(),
  profile_name: z.string().nullable(),
  modo: z.enum(['bot', 'agente']),
  agente_id: z.number().int().nullable(),
  /** The agent holding the conversation (modo `agente`), with the name to show. */
  agente: agentRef.nullable(),
  comprobante_pendiente: z.boolean(),
  paso_verificacion: z.enum(['cedula', 'fecha_nacimiento']).nullable(),
  ultimo_entrante_en: isoTime.nullable(),
  /** When the 24-hour window closes (ultimo_entrante_en + 24 h); null if the customer never wrote. */
  ventana_cierra_en: isoTime.nullable(),
  /** The newest message Charla sent to the number failed (the sender gave up, or Meta said `failed`). */
  envio_fallido: z.boolean(),
  /** Inbound messages (reactions aside) newer than the read mark. */
  no_leidos: z.number().int(),
  ultimo_mensaje: messageRowSchema.nullable(),
});
export type ConversationEntry = z.infer<typeof conversationEntrySchema>;

export const conversationListSchema = z.object({
  conversaciones: z.array(conversationEntrySchema),
  cursor_siguiente: z.string().nullable(),
});
export type ConversationList = z.infer<typeof conversationListSchema>;

/** The filter badges and the page title: conversations per filter, unread messages over all. */
export const inboxSummarySchema = z.object({
  todas: z.number().int(),
  mias: z.number().int(),
  sin_identificar: z.number().int(),
  comprobante: z.number().int(),
  ventana: z.number().int(),
  fallidos: z.number().int(),
  no_leidos_total: z.number().int(),
});
export type InboxSummary = z.infer<typeof inboxSummarySchema>;

/** Who wrote a message of the thread. */
export const AUTHORS = ['cliente', 'bot', 'agente', 'plantilla'] as const;
export type Author = (typeof AUTHORS)[number];

/** One bubble of the thread. */
export const threadMessageSchema = z.object({
  id: z.number().int(),
  message_id: z.string().nullable(),
  direccion: z.enum(['INBOUND', 'OUTBOUND']),
  message_type: z.string(),
  body: z.string().nullable(),
  timestamp: isoTime.nullable(),
  autor: z.enum(AUTHORS),
  /** The agent who wrote it (autor `agente`). */
  agente: agentRef.nullable(),
  /** Meta's delivery status of an outbound message (null: none yet, or inbound). */
  status: z.enum(['sent', 'delivered', 'read', 'failed']).nullable(),
  /** The outbox's state of a message Charla sends (whatsapp_envios.estado); null for inbound and older rows. */
  envio: z.enum(['pendiente', 'enviado', 'fallido']).nullable(),
  /** Why it failed: Meta's error code and title when the text starts with a code, else the text as title. */
  error: z.object({ code: z.number().int().nullable(), title: z.string() }).nullable(),
  /** Media Meta sent (image, video, audio, document, sticker); download by `media_id` through the Graph API. */
  media: z
    .object({
      media_id: z.string().nullable(),
      media_mime_type: z.string().nullable(),
      filename: z.string().nullable(),
      caption: z.string().nullable(),
    })
    .nullable(),
  /** The customer's current reactions to this message (the reaction messages are not bubbles). */
  reacciones: z.array(z.object({ emoji: z.string(), autor: z.enum(AUTHORS), timestamp: isoTime.nullable() })),
  /** The message this one replies to (quoted): Meta's id, and our row and a snippet when we have it. */
  contexto: z
    .object({
      message_id: z.string(),
      id: z.number().int().nullable(),
      direccion: z.enum(['INBOUND', 'OUTBOUND']).nullable(),
      body: z.string().nullable(),
    })
    .nullable(),
  /** What the customer chose in a list, a button or a template's quick reply: its id and title. */
  respuesta_interactiva: z.object({ id: z.string(), title: z.string().nullable() }).nullable(),
});
export type ThreadMessage = z.infer<typeof threadMessageSchema>;

/** A page of the thread, oldest message first. */
export const threadPageSchema = z.object({
  mensajes: z.array(threadMessageSchema),
  /** Older messages: pass as `antes`; null at the thread's start. */
  cursor_anterior: z.string().nullable(),
  /** Newer messages: pass as `despues`; null when the page reaches the newest message. */
  cursor_siguiente: z.string().nullable(),
});
export type ThreadPage = z.infer<typeof threadPageSchema>;
