import type { Config } from '../config/config.js';
import type { Database } from '../db/database.js';
import { CharlaError } from '../errors/charla-error.js';
import { listMessageTemplates, readTemplates, type MetaTemplate } from '../graph/message-templates.js';
import { SANDBOX_TEMPLATES } from '../sandbox/sandbox-templates.js';
import { saveSyncedTemplates, templateCount, type SaveResult } from './templates.repository.js';

/** Where the templates come from: Meta's Graph API, or the sandbox's own list when there is no access token. */
export interface TemplateSource {
  origen: 'meta' | 'sandbox';
  list(): Promise<MetaTemplate[]>;
}

export interface SyncResult extends SaveResult {
  origen: TemplateSource['origen'];
  /** Templates Meta listed (after leaving out unreadable items). */
  recibidas: number;
}

/**
 * The configured source: Meta's list of WHATSAPP_BUSINESS_ACCOUNT_ID at WHATSAPP_API_URL, or, in
 * sandbox mode (no WHATSAPP_ACCESS_TOKEN), the sandbox's templates, read in-process so that every
 * role (serve, worker, the CLI) has them without the sandbox server.
 */
export function templateSourceOf(config: Config): TemplateSource {
  const { accessToken, businessAccountId, apiUrl, version } = config.graph;
  if (!accessToken) return { origen: 'sandbox', list: async () => readTemplates(SANDBOX_TEMPLATES) };
  return {
    origen: 'meta',
    list: () => {
      if (!businessAccountId) {
        throw new CharlaError(
          'CONFIG_INVALID',
          "WHATSAPP_BUSINESS_ACCOUNT_ID is not set: it names the WhatsApp Business Account whose templates are read (Meta's Business Manager → WhatsApp accounts).",
        );
      }
      return listMessageTemplates({ apiUrl, version, businessAccountId, accessToken });
    },
  };
}

/** Reads the source's templates and makes the registry match (templates.repository.ts `saveSyncedTemplates`). */
export async function syncTemplates(database: Database, source: TemplateSource, now = new Date()): Promise<SyncResult> {
  const listed = await source.list();
  const saved = await saveSyncedTemplates(
    database.kysely,
    database.support,
    listed.map((t) => ({
      nombre: t.name,
      idioma: t.language,
      categoria: t.category,
      estado: t.status,
      componentes: JSON.stringify(t.components),
      meta_id: t.id,
    })),
    now,
  );
  return { origen: source.origen, recibidas: listed.length, ...saved };
}

/**
 * In sandbox mode an empty registry is filled from the sandbox before it is read, so that the
 * template picker works at once on `charla start`; with Meta, only a sync fills it (an admin's choice).
 */
export async function ensureSandboxTemplates(database: Database, source: TemplateSource): Promise<void> {
  if (source.origen === 'sandbox' && (await templateCount(database.kysely)) === 0) await syncTemplates(database, source);
}
