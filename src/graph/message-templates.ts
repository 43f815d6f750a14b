import { z } from 'zod';
import { CharlaError } from '../errors/charla-error.js';

/** One message template as Meta lists it (`GET /{waba-id}/message_templates`), in Meta's names. */
export interface MetaTemplate {
  id: string | null;
  name: string;
  language: string;
  category: string;
  status: string;
  /** HEADER, BODY, FOOTER, BUTTONS… as Meta returns them. */
  components: unknown[];
}

export interface TemplateListOptions {
  /** `https://graph.facebook.com`, or a proxy or test server (WHATSAPP_API_URL). */
  apiUrl: string;
  version: string;
  businessAccountId: string;
  accessToken: string;
  timeoutMs?: number;
  /** Stops a paging loop that never ends (Meta allows 250 templates per account: 3 pages). */
  maxPages?: number;
  /** Templates per page (Meta's largest, 100, unless said). */
  pageSize?: number;
}

/** The fields Charla reads, and Meta's largest page. */
export const TEMPLATE_FIELDS = 'name,language,category,status,components';
const PAGE_SIZE = 100;
/** Tries of one page when the network fails (not when Meta answers an error). */
const NETWORK_ATTEMPTS = 3;

const templateItem = z.object({
  id: z.string().optional(),
  name: z.string().min(1).max(512),
  language: z.string().min(1).max(20),
  category: z.string().max(30).default('UTILITY'),
  status: z.string().max(30).default('PENDING'),
  components: z.array(z.unknown()).default([]),
});

const templatePage = z.object({
  data: z.array(z.unknown()),
  paging: z.object({ next: z.string().optional() }).optional(),
});

function failed(message: string, cause?: unknown): CharlaError {
  return new CharlaError('TEMPLATES_SYNC_FAILED', `${message} Nothing was changed.`, cause ? { cause } : undefined);
}

/**
 * Every message template of the business account: `GET {apiUrl}/{version}/{waba}/message_templates`,
 * page after page. The next page is asked of the configured API with the query of Meta's
 * `paging.next` (its cursor), so the token only ever goes to WHATSAPP_API_URL. Items Charla cannot
 * read (no name or language) are left out; any failure is TEMPLATES_SYNC_FAILED, saying what Meta said.
 */
export async function listMessageTemplates(options: TemplateListOptions): Promise<MetaTemplate[]> {
  const first = new URL(
    `${options.apiUrl.replace(/\/+$/, '')}/${options.version}/${encodeURIComponent(options.businessAccountId)}/message_templates`,
  );
  first.search = new URLSearchParams({ fields: TEMPLATE_FIELDS, limit: String(options.pageSize ?? PAGE_SIZE) }).toString();
  const templates: MetaTemplate[] = [];
  const seen = new Set<string>();
  let url: URL | null = first;
  for (let page = 1; url; page++) {
    if (page > (options.maxPages ?? 50) || seen.has(url.search)) throw failed(`Meta kept paging the template list (${page - 1} pages).`);
    seen.add(url.search);
    const body = await fetchPage(url, options);
    templates.push(...readTemplates(body.data));
    const next: string | undefined = body.paging?.next;
    url = next ? withQueryOf(first, next) : null;
  }
  return templates;
}

/** The templates among Meta's list items; an item without a name or language is left out. */
export function readTemplates(items: readonly unknown[]): MetaTemplate[] {
  return items.flatMap((item) => {
    const parsed = templateItem.safeParse(item);
    return parsed.success ? [{ ...parsed.data, id: parsed.data.id ?? null }] : [];
  });
}

function withQueryOf(base: URL, next: string): URL | null {
  let query: string;
  try {
    query = new URL(next, base).search;
  } catch {
    return null;
  }
  const url = new URL(base);
  url.search = query;
  return url;
}

async function fetchPage(url: URL, options: TemplateListOptions): Promise<z.infer<typeof templatePage>> {
  let response: Response | undefined;
  // A GET is safe to repeat: a connection that broke (a kept-alive one closed by the server as it
  // was reused, say) is tried again twice before the sync fails.
  for (let attempt = 1; !response; attempt++) {
    try {
      response = await fetch(url, {
        headers: { authorization: `Bearer ${options.accessToken}`, accept: 'application/json' },
        signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
      });
    } catch (error) {
      if (attempt >= NETWORK_ATTEMPTS)
        throw failed(`Meta's template list could not be reached at ${url.origin}: ${(error as Error).message}.`, error);
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
  }
  const json: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const error = (json as { error?: { code?: number; message?: string } } | undefined)?.error;
    const said = error?.message ? `: ${error.code !== undefined ? `(#${error.code}) ` : ''}${error.message}` : '';
    throw failed(
      `Meta refused the template list (HTTP ${response.status}${said}). Check WHATSAPP_BUSINESS_ACCOUNT_ID and that WHATSAPP_ACCESS_TOKEN may read the account's templates (whatsapp_business_management).`,
    );
  }
  const page = templatePage.safeParse(json);
  if (!page.success) throw failed(`Meta's answer to the template list is not a list of templates (HTTP ${response.status}).`);
  return page.data;
}
