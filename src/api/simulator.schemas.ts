import { z } from 'zod';

/**
 * The shapes of the customer simulator's API (/api/v1/simulador/…, sandbox mode only), shared with
 * the web front end: this file imports only zod, so the page can use `z.infer` / `z.input` types.
 * Names follow docs/glossary.md: Charla's own in Spanish, Meta's (`message_id`, `media_id`,
 * `media_mime_type`, `filename`, `caption`, `status`, `profile_name`) as Meta names them.
 */

/** WhatsApp's limit for a text message. */
export const MAX_TEXT = 4096;
/** WhatsApp's limit for a media caption. */
export const MAX_CAPTION = 1024;
export const MAX_FILENAME = 240;
export const MAX_PROFILE_NAME = 200;

/** What a customer can do in the simulator. */
export const SIMULATED_TYPES = ['texto', 'opcion', 'imagen', 'documento', 'reaccion'] as const;
export type SimulatedType = (typeof SIMULATED_TYPES)[number];

/**
 * One emoji: a flag (two regional indicators), a keycap, or a pictograph with an optional
 * presentation selector or skin tone, joined by ZWJ to more of them (👩🏽‍💻, 🏳️‍🌈).
 */
const PICTOGRAPH = '\\p{Extended_Pictographic}(?:\\uFE0F|\\p{Emoji_Modifier})?';
const ONE_EMOJI = new RegExp(`^(?:\\p{Regional_Indicator}{2}|[#*0-9]\\uFE0F?\\u20E3|${PICTOGRAPH}(?:\\u200D${PICTOGRAPH})*)$`, 'u');

export function isOneEmoji(text: string): boolean {
  return ONE_EMOJI.test(text);
}

/** Code points of well-formed text (as VARCHAR counts them). */
function characters(text: string): number {
  return text.length - (text.match(/[\uDC00-\uDFFF]/g)?.length ?? 0);
}

/** Lone UTF-16 surrogates: a broken character UTF-8 cannot hold. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Text that fits its column on every database (the rules of src/validation/storable-text.ts, in zod alone). */
function text(min: number, max: number) {
  return z
    .string()
    .trim()
    .superRefine((value, context) => {
      if (value.includes('\u0000')) context.addIssue({ code: 'custom', message: 'must not contain the NUL character (\\u0000)' });
      else if (LONE_SURROGATE.test(value))
        context.addIssue({ code: 'custom', message: 'must not contain unpaired UTF-16 surrogates (a broken character)' });
      else if (characters(value) < min)
        context.addIssue({ code: 'custom', message: min === 1 ? 'must not be empty' : `must have at least ${min} characters` });
      else if (characters(value) > max)
        context.addIssue({ code: 'custom', message: `must have at most ${max} characters (it has ${characters(value)})` });
    })
    .meta({ ...(min > 0 ? { minLength: min } : {}), maxLength: max });
}

const numero = text(1, 100).describe("The customer's WhatsApp number, in any format (+58 412-1234567, 04121234567…).");
const nombrePerfil = text(1, MAX_PROFILE_NAME)
  .optional()
  .describe('The WhatsApp profile name Meta sends with the message (default "Cliente de prueba").');
const mensajeWamid = text(1, 100).describe('The wamid (`message_id`) of a message in this chat.');

/** `POST /api/v1/simulador/mensajes`: what the customer does, by `tipo`. */
export const simulatedMessageSchema = z.discriminatedUnion('tipo', [
  z.object({
    tipo: z.literal('texto'),
    numero,
    nombre_perfil: nombrePerfil,
    texto: text(1, MAX_TEXT).describe('The text, up to 4,096 characters.'),
  }),
  z.object({
    tipo: z.literal('opcion'),
    numero,
    nombre_perfil: nombrePerfil,
    mensaje_wamid: mensajeWamid.describe('The bot message whose list row or button is tapped.'),
    opcion_id: text(1, 256).describe("The option's id, one of that message's `opciones.filas[].id`."),
  }),
  z.object({
    tipo: z.literal('imagen'),
    numero,
    nombre_perfil: nombrePerfil,
    texto: text(0, MAX_CAPTION).optional().describe("The image's caption (none when empty)."),
  }),
  z.object({
    tipo: z.literal('documento'),
    numero,
    nombre_perfil: nombrePerfil,
    texto: text(0, MAX_CAPTION).optional().describe("The document's caption (none when empty)."),
    nombre_archivo: text(1, MAX_FILENAME).optional().describe('The file name (default comprobante-pago.pdf).'),
  }),
  z.object({
    tipo: z.literal('reaccion'),
    numero,
    nombre_perfil: nombrePerfil,
    mensaje_wamid: mensajeWamid.describe('The message reacted to.'),
    emoji: z
      .string()
      .refine((e) => e === '' || isOneEmoji(e), { message: 'must be one emoji (or empty to take the reaction back)' })
      .describe('One emoji; an empty string takes the reaction back.'),
  }),
]);
export type SimulatedMessage = z.input<typeof simulatedMessageSchema>;

/** The 202 of `POST /api/v1/simulador/mensajes`. */
export const simulatedMessageAnswerSchema = z.object({
  message_id: z.string().describe('The wamid the simulator gave the message (as Meta would).'),
  numero: z.string().describe('The number, normalised as Meta sends it (international digits).'),
});
export type SimulatedMessageAnswer = z.infer<typeof simulatedMessageAnswerSchema>;

/** A demo customer to write as. */
export const simulatorCustomerSchema = z.object({
  numero: z.string().describe('The WhatsApp number (international digits).'),
  nombres: z.string(),
  /** The CRM customer the phone index finds for the number; null when the demo data is not in the CRM. */
  cliente_id: z.number().int().nullable(),
  /** From the CRM, for trying the verification by cédula and date of birth; null when not in the CRM. */
  cedula: z.string().nullable(),
  fecha_nacimiento: z.string().nullable(),
});
export const simulatorCustomersSchema = z.object({ clientes: z.array(simulatorCustomerSchema) });
export type SimulatorCustomer = z.infer<typeof simulatorCustomerSchema>;
export type SimulatorCustomers = z.infer<typeof simulatorCustomersSchema>;

const isoTime = z.string().describe('ISO 8601 UTC');

/** A bot (or agent) message's list rows or reply buttons, as sent (whatsapp_envios.contenido). */
export const simulatorOptionsSchema = z.object({
  tipo: z.enum(['botones', 'lista']),
  /** The list's button text ("Ver opciones"); null for reply buttons. */
  boton: z.string().nullable(),
  filas: z.array(z.object({ id: z.string(), titulo: z.string(), descripcion: z.string().nullable() })),
});

export const simulatorChatMessageSchema = z.object({
  id: z.number().int(),
  message_id: z.string().nullable(),
  direccion: z.enum(['INBOUND', 'OUTBOUND']),
  /** `cliente`: the simulated customer (right side); `bot`, `agente`: the business (left side). */
  autor: z.enum(['cliente', 'bot', 'agente']),
  message_type: z.string(),
  /** The text shown in the bubble (for the bot's lists and buttons, their text without the options). */
  texto: z.string().nullable(),
  timestamp: isoTime.nullable(),
  /** The customer's own messages: false ✓✓ (delivered), true ✓✓ in blue (read: answered by the bot, or read by an agent); null for the business's. */
  leido_por_negocio: z.boolean().nullable(),
  /** The business's messages: Meta's last delivery status, what the agents see in the inbox. */
  status: z.enum(['sent', 'delivered', 'read', 'failed']).nullable(),
  opciones: simulatorOptionsSchema.nullable(),
  /** The option a customer's message chose (an interactive list or button reply). */
  opcion_elegida: z.object({ id: z.string(), titulo: z.string().nullable() }).nullable(),
  media: z
    .object({
      media_id: z.string().nullable(),
      media_mime_type: z.string().nullable(),
      filename: z.string().nullable(),
      caption: z.string().nullable(),
    })
    .nullable(),
  /** The customer's current reaction to this message. */
  reacciones: z.array(z.object({ emoji: z.string() })),
});
export type SimulatorChatMessage = z.infer<typeof simulatorChatMessageSchema>;

/** `GET /api/v1/simulador/chat`: the chat as the customer's phone shows it, oldest first. */
export const simulatorChatSchema = z.object({
  numero: z.string(),
  conversacion: z
    .object({
      modo: z.enum(['bot', 'agente']),
      cliente: z.object({ id: z.number().int(), nombres: z.string() }).nullable(),
      profile_name: z.string().nullable(),
    })
    .nullable(),
  /** The business is preparing an answer: a message waits for the bot, or a reply waits to be sent. */
  escribiendo: z.boolean(),
  mensajes: z.array(simulatorChatMessageSchema),
});
export type SimulatorChat = z.infer<typeof simulatorChatSchema>;
