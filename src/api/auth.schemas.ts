import { z } from 'zod';
import { rolSchema } from './admin.schemas.js';

/**
 * The answers of sign-in (docs/api.md, "Signing in"), shared with the web front end: this file
 * imports only zod. Their fields are the original front end's (`access_token`, `user`…, see
 * docs/legacy-frontend.md) beside Charla's own (`token`, `agente`, `principal`).
 */

/** ISO 8601 UTC, as every time the API returns. */
const timestamp = z.string().describe('ISO 8601 UTC');

/** Who is calling, as Charla's inbox reads it. */
export const principalSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('agent'), agentId: z.number().int(), name: z.string(), email: z.string(), role: rolSchema }),
  z.object({ kind: z.literal('token'), tokenId: z.number().int(), name: z.string(), role: rolSchema }),
]);
export type Principal = z.infer<typeof principalSchema>;

/** The original front end's user: flat, its own field names. For an API token: `id`, `email`, dates null. */
export const usuarioOriginalSchema = z.object({
  id: z.number().int().nullable().describe("The agent's id (null for an API token)."),
  nombre: z.string().describe("The agent's full name (Charla keeps one name; `apellido` is empty)."),
  apellido: z.string(),
  email: z.string().nullable(),
  rol: rolSchema,
  is_admin: z.boolean(),
  is_active: z.boolean(),
  created_at: timestamp.nullable(),
  last_login: timestamp.nullable().describe('The sign-in before this one… or this one: the last time the agent signed in.'),
});
export type UsuarioOriginal = z.infer<typeof usuarioOriginalSchema>;

/** The original front end's token pair. */
export const tokensOriginalesSchema = z.object({
  access_token: z.string().describe('A JWT (HS256): `sub` the agent id, `type` "access", `exp`, `sid` its session.'),
  refresh_token: z.string().describe('Opaque; exchanged once at POST /api/v1/auth/refresh for a new pair.'),
  token_type: z.literal('bearer'),
  expires_in: z.number().int().describe("Seconds until the access token's `exp`."),
});

export const inicioSesionRespuesta = tokensOriginalesSchema.extend({
  user: usuarioOriginalSchema,
  token: z.string().describe("The session's secret (also set as the cookie): a bearer token for API clients."),
  expira_en: timestamp.describe('When the session ends unless refreshed.'),
  agente: principalSchema,
});

export const yoRespuesta = usuarioOriginalSchema.extend({ principal: principalSchema });
export type YoRespuesta = z.infer<typeof yoRespuesta>;
