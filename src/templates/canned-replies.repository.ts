import type { Kysely, Selectable } from 'kysely';
import type { DialectSupport } from '../db/dialects/dialect-support.js';
import { insertReturningId } from '../db/insert-returning-id.js';
import type { Tables, WhatsappRespuestasRapidasTable } from '../db/tables.js';
import { CharlaError } from '../errors/charla-error.js';

export type CannedReplyRow = Selectable<WhatsappRespuestasRapidasTable>;

function exists(atajo: string, cause: unknown): CharlaError {
  return new CharlaError(
    'CANNED_REPLY_EXISTS',
    `A canned reply with atajo "${atajo}" exists already; change that one or choose another atajo.`,
    {
      cause,
    },
  );
}

/** Every canned reply, by atajo. */
export async function listCannedReplies(db: Kysely<Tables>): Promise<CannedReplyRow[]> {
  return db.selectFrom('whatsapp_respuestas_rapidas').selectAll().orderBy('atajo').execute();
}

export async function cannedReplyById(db: Kysely<Tables>, id: number): Promise<CannedReplyRow | undefined> {
  return db.selectFrom('whatsapp_respuestas_rapidas').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Adds a canned reply; CANNED_REPLY_EXISTS when its atajo is taken. */
export async function addCannedReply(
  db: Kysely<Tables>,
  support: DialectSupport,
  reply: { atajo: string; texto: string },
): Promise<CannedReplyRow> {
  let id: number;
  try {
    id = await insertReturningId(db, support, 'whatsapp_respuestas_rapidas', reply);
  } catch (error) {
    if (support.isUniqueViolation(error)) throw exists(reply.atajo, error);
    throw error;
  }
  return (await cannedReplyById(db, id)) as CannedReplyRow;
}

/** Changes a canned reply; undefined when there is no such id, CANNED_REPLY_EXISTS when the new atajo is taken. */
export async function changeCannedReply(
  db: Kysely<Tables>,
  support: DialectSupport,
  id: number,
  changes: { atajo?: string | undefined; texto?: string | undefined },
): Promise<CannedReplyRow | undefined> {
  const values = {
    ...(changes.atajo !== undefined ? { atajo: changes.atajo } : {}),
    ...(changes.texto !== undefined ? { texto: changes.texto } : {}),
  };
  if (Object.keys(values).length > 0) {
    try {
      await db.updateTable('whatsapp_respuestas_rapidas').set(values).where('id', '=', id).execute();
    } catch (error) {
      if (support.isUniqueViolation(error)) throw exists(changes.atajo ?? '', error);
      throw error;
    }
  }
  return cannedReplyById(db, id);
}

/** Deletes a canned reply; false when there was none with that id. */
export async function deleteCannedReply(db: Kysely<Tables>, id: number): Promise<boolean> {
  const result = await db.deleteFrom('whatsapp_respuestas_rapidas').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
