import { z } from 'zod';

/**
 * The answers of the admins' endpoints (agents and API tokens, docs/api.md "Admins"), shared with
 * the web front end: this file imports only zod. The request bodies are checked in
 * src/auth/auth.routes.ts with the column rules of src/auth/agents.repository.ts.
 */

/** At least 10 characters (the same rule as src/auth/agents.repository.ts MIN_PASSWORD_LENGTH). */
export const LONGITUD_MINIMA_CLAVE = 10;

export const rolSchema = z.enum(['admin', 'agente']);
export type Rol = z.infer<typeof rolSchema>;

/** ISO 8601 UTC, as every time the API returns. */
const timestamp = z.string().describe('ISO 8601 UTC');

export const agenteSchema = z.object({
  id: z.number().int(),
  email: z.string(),
  nombre: z.string(),
  rol: rolSchema,
  activo: z.boolean().describe('False: the agent may not sign in.'),
  creado_en: timestamp,
  ultimo_ingreso_en: timestamp.nullable().describe('When the agent last signed in; null: never.'),
});
export type Agente = z.infer<typeof agenteSchema>;

export const agentesRespuesta = z.object({ agentes: z.array(agenteSchema) });
export const agenteRespuesta = z.object({ agente: agenteSchema });

export const tokenApiSchema = z.object({
  id: z.number().int(),
  nombre: z.string(),
  rol: rolSchema,
  creado_en: timestamp,
  activo: z.boolean().describe('False once revoked.'),
  revocado_en: timestamp.nullable().describe('When it was revoked; null while it works.'),
});
export type TokenApi = z.infer<typeof tokenApiSchema>;

export const tokensRespuesta = z.object({
  tokens: z.array(tokenApiSchema).describe('Every API token, the working ones first, newest first (never the secret).'),
});
export type TokensRespuesta = z.infer<typeof tokensRespuesta>;

/** POST /api/v1/tokens: the secret, returned only this once. */
export const tokenCreadoRespuesta = z.object({
  id: z.number().int(),
  nombre: z.string(),
  rol: rolSchema,
  token: z.string().describe('The secret for Authorization: Bearer; only its hash is stored, so it is never shown again.'),
});
export type TokenCreadoRespuesta = z.infer<typeof tokenCreadoRespuesta>;
