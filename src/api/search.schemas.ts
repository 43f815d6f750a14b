import { z } from 'zod';

/**
 * The shapes of the search (`GET /api/v1/buscar`), shared with the web front end: this file imports
 * only zod, so the browser bundle can import it and use `z.infer` types. Names follow
 * docs/glossary.md (Charla's own in Spanish; `wa_number`, `profile_name`, `body`, `timestamp` as
 * Meta and the original table name them).
 */

/** Most characters of a search text. */
export const SEARCH_TEXT_MAX = 100;

/**
 * What someone types in a search box: trimmed, 1 to 100 characters, no NUL and no broken
 * characters (the same rules as every stored text, src/validation/storable-text.ts).
 */
export const searchText = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(SEARCH_TEXT_MAX, `must have at most ${SEARCH_TEXT_MAX} characters`)
  .refine((text) => !text.includes('\u0000') && text.isWellFormed(), 'must not contain NUL or broken characters')
  .describe('A name, a cédula or a phone number in any format, or words of a message.');

export const searchQuerySchema = z.object({
  q: searchText,
  limite: z.coerce.number().int().min(1).max(50).default(20).describe('At most this many conversations and this many messages, 1 to 50.'),
});
export type SearchQuery = z.infer<typeof searchQuerySchema>;

/** A conversation whose customer (name, cédula, phone), number or WhatsApp profile name matches. */
export const conversationMatchSchema = z.object({
  wa_number: z.string(),
  cliente: z.object({ id: z.number().int(), nombres: z.string() }).nullable(),
  profile_name: z.string().nullable(),
});
export type ConversationMatch = z.infer<typeof conversationMatchSchema>;

/** A message holding the words searched for: open its thread (`wa_number`) around message `id`. */
export const messageMatchSchema = z.object({
  id: z.number().int(),
  /** The customer's number: the sender of an INBOUND message, the receiver of an OUTBOUND one. */
  wa_number: z.string(),
  direccion: z.enum(['INBOUND', 'OUTBOUND']),
  /** The part of the body around the first word found (the whole body when short), `…` where cut. */
  body: z.string(),
  timestamp: z.string().nullable().describe('ISO 8601 UTC'),
});
export type MessageMatch = z.infer<typeof messageMatchSchema>;

export const searchResultSchema = z.object({
  /** Most recent customer activity first. */
  conversaciones: z.array(conversationMatchSchema),
  /** Newest first. */
  mensajes: z.array(messageMatchSchema),
});
export type SearchResult = z.infer<typeof searchResultSchema>;
