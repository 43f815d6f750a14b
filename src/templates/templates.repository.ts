import type { Kysely, Selectable } from 'kysely';
import type { DialectSupport } from '../db/dialects/dialect-support.js';
import type { Tables, WhatsappPlantillasTable } from '../db/tables.js';

export type TemplateRow = Selectable<WhatsappPlantillasTable>;

/** Meta's status of a template that may be sent. */
export const APPROVED = 'APPROVED';
/** The status Charla gives a template Meta no longer lists (Meta's own word for a deleted one). */
export const DELETED = 'DELETED';

/** A template as read from Meta, in the table's names. */
export interface SyncedTemplate {
  nombre: string;
  idioma: string;
  categoria: string;
  estado: string;
  componentes: string;
  meta_id: string | null;
}

export interface SaveResult {
  nuevas: number;
  actualizadas: number;
  retiradas: number;
}

/** The templates, by name and language; only the approved ones unless `all`. */
export async function listTemplates(db: Kysely<Tables>, options: { all: boolean }): Promise<TemplateRow[]> {
  let query = db.selectFrom('whatsapp_plantillas').selectAll().orderBy('nombre').orderBy('idioma');
  if (!options.all) query = query.where('estado', '=', APPROVED);
  return query.execute();
}

export async function templateCount(db: Kysely<Tables>): Promise<number> {
  const { n } = await db
    .selectFrom('whatsapp_plantillas')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return Number(n);
}

export async function templateByNameAndLanguage(db: Kysely<Tables>, nombre: string, idioma: string): Promise<TemplateRow | undefined> {
  return db.selectFrom('whatsapp_plantillas').selectAll().where('nombre', '=', nombre).where('idioma', '=', idioma).executeTakeFirst();
}

/**
 * Makes the table what Meta listed, in one transaction: each template updated or added by
 * (nombre, idioma), and those Meta no longer lists marked DELETED (kept, so that what was sent
 * stays explainable). A concurrent sync adding the same template is not an error.
 */
export async function saveSyncedTemplates(
  db: Kysely<Tables>,
  support: DialectSupport,
  listed: readonly SyncedTemplate[],
  now: Date,
): Promise<SaveResult> {
  const byKey = new Map(listed.map((t) => [`${t.nombre}\u0000${t.idioma}`, t] as const));
  return db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('whatsapp_plantillas').select(['id', 'nombre', 'idioma', 'estado']).execute();
    const known = new Map(existing.map((row) => [`${row.nombre}\u0000${row.idioma}`, row] as const));
    const result: SaveResult = { nuevas: 0, actualizadas: 0, retiradas: 0 };
    for (const [key, template] of byKey) {
      const row = known.get(key);
      const values = { ...template, sincronizado_en: now };
      if (row) {
        await trx.updateTable('whatsapp_plantillas').set(values).where('id', '=', row.id).execute();
        result.actualizadas++;
      } else {
        await support.ignoreDuplicates(trx.insertInto('whatsapp_plantillas').values(values), ['nombre', 'idioma']).execute();
        result.nuevas++;
      }
    }
    const gone = existing.filter((row) => !byKey.has(`${row.nombre}\u0000${row.idioma}`) && row.estado !== DELETED).map((row) => row.id);
    if (gone.length > 0) {
      await trx.updateTable('whatsapp_plantillas').set({ estado: DELETED }).where('id', 'in', gone).execute();
      result.retiradas = gone.length;
    }
    return result;
  });
}
