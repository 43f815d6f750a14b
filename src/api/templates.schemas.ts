import { z } from 'zod';

/**
 * The API shapes of message templates, template sending and canned replies (docs/api.md). Only zod
 * is imported, so the web front end imports this file for the types (`z.infer`) and the same checks.
 */

/** Code points, as the database counts characters (an emoji is one). */
const characters = (text: string): number => [...text].length;

/** Text a column can hold: trimmed, `min`–`max` characters, no NUL, no broken characters. */
function text(min: number, max: number) {
  return z
    .string()
    .trim()
    .superRefine((value, context) => {
      if (value.includes('\u0000')) context.addIssue({ code: 'custom', message: 'must not contain the NUL character (\\u0000)' });
      else if (!value.isWellFormed()) context.addIssue({ code: 'custom', message: 'must not contain unpaired UTF-16 surrogates' });
      else if (characters(value) < min)
        context.addIssue({ code: 'custom', message: min === 1 ? 'must not be empty' : `needs ${min}+ characters` });
      else if (characters(value) > max)
        context.addIssue({ code: 'custom', message: `must have at most ${max} characters (it has ${characters(value)})` });
    })
    .meta({ minLength: min, maxLength: max });
}

/** Meta's limits: a template parameter holds at most 1,024 characters; a text message 4,096. */
export const MAX_TEMPLATE_PARAMETER = 1024;
export const MAX_CANNED_REPLY = 4096;

/** ISO 8601 UTC, as every time the API returns. */
const timestamp = z.string().describe('ISO 8601 UTC');

export const plantillaSchema = z.object({
  id: z.number().int(),
  nombre: z.string().describe("The template's name in Meta."),
  idioma: z.string().describe("Meta's language code: `es`, `es_MX`…"),
  categoria: z.string().describe('UTILITY, MARKETING or AUTHENTICATION.'),
  estado: z.string().describe("Meta's status: APPROVED, PENDING, REJECTED, PAUSED…; DELETED once Meta no longer lists it."),
  texto: z.string().nullable().describe('The BODY text, with its variables `{{1}}`, `{{2}}`…'),
  variables: z.number().int().describe('How many parameters a send must give (the distinct variables of the body).'),
  vista: z.string().nullable().describe("The body filled with Meta's example values (variables without one stay as they are)."),
  sincronizado_en: timestamp.describe('When a sync last saw it.'),
});
export type Plantilla = z.infer<typeof plantillaSchema>;

export const plantillasQuerySchema = z.object({
  estado: z
    .enum(['aprobadas', 'todas'])
    .default('aprobadas')
    .describe('`aprobadas` (the default): those that may be sent; `todas` (admins): every status.'),
});

export const plantillasResponseSchema = z.object({ plantillas: z.array(plantillaSchema) });
export type PlantillasResponse = z.infer<typeof plantillasResponseSchema>;

export const sincronizacionResponseSchema = z.object({
  sincronizacion: z.object({
    origen: z.enum(['meta', 'sandbox']).describe("Meta's Graph API, or the sandbox's templates (no WHATSAPP_ACCESS_TOKEN)."),
    recibidas: z.number().int().describe('Templates listed.'),
    nuevas: z.number().int().describe('Added to the registry.'),
    actualizadas: z.number().int().describe('Already known, updated.'),
    retiradas: z.number().int().describe('No longer listed: now DELETED.'),
  }),
});
export type SincronizacionResponse = z.infer<typeof sincronizacionResponseSchema>;

export const envioPlantillaBodySchema = z.object({
  nombre: text(1, 512).describe("The template's name."),
  idioma: text(1, 20).describe('Its language code, as listed (`es`).'),
  parametros: z
    .array(text(1, MAX_TEMPLATE_PARAMETER))
    .max(100)
    .default([])
    .describe('One value per body variable, in order (`{{1}}` first); each 1 to 1,024 characters.'),
});
export type EnvioPlantillaBody = z.input<typeof envioPlantillaBodySchema>;

/** The values a canned reply's placeholders take for a customer; null when unknown. */
export const datosPlantillaSchema = z.object({
  nombre: z.string().nullable().describe("The customer's first name."),
  saldo: z.string().nullable().describe('Pending balance, formatted (`$1,234.50`).'),
  proxima_cuota: z.string().nullable().describe('Amount pending of the next instalment not yet due, formatted.'),
  fecha_proxima: z.string().nullable().describe('Its due date, written out (`4 de marzo de 2026`).'),
});
export type DatosPlantilla = z.infer<typeof datosPlantillaSchema>;

export const datosPlantillaResponseSchema = z.object({
  numero: z.string().describe("The number, normalised to Meta's digits."),
  cliente_id: z.number().int().nullable().describe('The customer of the number, when known.'),
  datos: datosPlantillaSchema,
  baja_en: timestamp
    .nullable()
    .describe(
      'When the customer asked for no more messages (the bot noted a baja): templates are refused with 409 CUSTOMER_OPTED_OUT. Null otherwise.',
    ),
});
export type DatosPlantillaResponse = z.infer<typeof datosPlantillaResponseSchema>;

export const respuestaRapidaSchema = z.object({
  id: z.number().int(),
  atajo: z.string().describe('The short key agents type (`saludo`).'),
  texto: z.string().describe('The text, with placeholders {nombre} {saldo} {proxima_cuota} {fecha_proxima}.'),
  creado_en: timestamp,
});
export type RespuestaRapida = z.infer<typeof respuestaRapidaSchema>;

export const respuestasRapidasResponseSchema = z.object({ respuestas_rapidas: z.array(respuestaRapidaSchema) });
export const respuestaRapidaResponseSchema = z.object({ respuesta_rapida: respuestaRapidaSchema });

const atajo = z
  .string()
  .trim()
  .regex(/^[a-z0-9_-]{1,50}$/, 'must be 1 to 50 lowercase letters, digits, _ or - (like saludo)')
  .describe('1 to 50 lowercase letters, digits, `_` or `-`.');

export const nuevaRespuestaRapidaSchema = z.object({ atajo, texto: text(1, MAX_CANNED_REPLY) });
export type NuevaRespuestaRapida = z.infer<typeof nuevaRespuestaRapidaSchema>;

export const cambioRespuestaRapidaSchema = z
  .object({ atajo: atajo.optional(), texto: text(1, MAX_CANNED_REPLY).optional() })
  .refine((c) => c.atajo !== undefined || c.texto !== undefined, { message: 'give atajo, texto or both' });
export type CambioRespuestaRapida = z.infer<typeof cambioRespuestaRapidaSchema>;
