import { z } from 'zod';
import { CharlaError } from '../errors/charla-error.js';
import { parseDatabaseUrl, type DatabaseUrl } from './database-url.js';

/** The Graph API version Charla is written against (WHATSAPP_API_VERSION's default). */
export const GRAPH_API_VERSION = 'v21.0';

const optionalSecret = z.string().min(1).optional();

/** The sandbox's made-up business number id, used when WHATSAPP_PHONE_NUMBER_ID is not set. */
export const SANDBOX_PHONE_NUMBER_ID = '100000000000000';

/** Text matching `pattern`; `form` says what that is, in the error and in docs/configuration.md. */
function textLike(pattern: RegExp, form: string) {
  return z.string().regex(pattern, `must be ${form}`).meta({ allowed: form });
}

/** Text `accepts` takes; `form` says what that is, in the error and in docs/configuration.md. */
function textThat(accepts: (value: string) => boolean, form: string) {
  return z
    .string()
    .refine(accepts, { error: (issue) => `${JSON.stringify(issue.input)} is not ${form}` })
    .meta({ allowed: form });
}

function isLocale(locale: string): boolean {
  try {
    new Intl.NumberFormat(locale);
    return true;
  } catch {
    return false;
  }
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * The environment Charla reads, validated once at start-up: the one source of its reference. Each
 * variable's description, default and allowed values here are what the table of
 * docs/configuration.md shows; test/configuration-table.test.ts renders the table from this schema
 * and compares it with the page line by line.
 */
export const environmentSchema = z.object({
  DATABASE_URL: z
    .string()
    .min(1)
    .meta({
      // Checked by parseDatabaseUrl (database-url.ts), which names what is wrong with a URL.
      allowed:
        '`postgres://user:pass@host:5432/db` (or `postgresql://`), `mysql://user:pass@host:3306/db` (or `mariadb://`), `pglite:<dir>`, `pglite:memory`',
    })
    .default('pglite:./data/db')
    .describe(
      'The database: PostgreSQL 13+, MySQL 8 / MariaDB 10.6+, or the embedded PostgreSQL (PGlite) kept in `<dir>` (relative to the working directory) or, with `pglite:memory`, a throw-away one. Passwords never appear in logs or errors.',
    ),
  PORT: z.coerce
    .number()
    .int()
    .min(0)
    .max(65535)
    .default(3000)
    .describe(
      "HTTP port of `charla serve` and `charla start` (`0` picks a free one). A separate `charla worker` in sandbox mode posts the sandbox's statuses to this port on 127.0.0.1 unless `PUBLIC_URL` is set.",
    ),
  HOST: z.string().min(1).default('127.0.0.1').describe('Address to listen on; `0.0.0.0` behind a load balancer.'),
  PUBLIC_URL: z
    .url()
    .optional()
    .describe(
      "The public base URL (`https://charla.example.com`). `/api/v1/whatsapp/webhook/info` shows the webhook URL under it (else under the request's own host); signed-in browser requests from its origin are accepted; with `https://` the session cookie is `Secure`; a separate `charla worker` in sandbox mode posts statuses to its webhook.",
    ),
  TRUST_PROXY: z.coerce
    .number()
    .int()
    .min(0)
    .max(10)
    .default(0)
    .describe(
      "How many proxies (load balancers) stand in front of Charla: the client's address is taken that many hops back in `X-Forwarded-For`. Sign-in limits count failures per address, so set it behind a load balancer, or every user shares its address.",
    ),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info')
    .describe(
      'How much is logged; `debug` and `trace` add one line per request. Logs are JSON on stdout; authorization headers, cookies, signatures, phone numbers and message bodies are redacted.',
    ),
  WHATSAPP_VERIFY_TOKEN: optionalSecret.describe(
    'The token Meta sends when you subscribe the webhook (`hub.verify_token`). Without it, verification is refused.',
  ),
  WHATSAPP_APP_SECRET: optionalSecret.describe(
    "The Meta app secret: every delivery's `X-Hub-Signature-256` is checked with it. Without it, deliveries are refused (503, Meta retries).",
  ),
  DEFAULT_COUNTRY_CODE: textLike(/^\d{1,3}$/, 'a calling code such as 58')
    .default('58')
    .describe(
      "Calling code assumed for phone numbers written without one: in the CRM's `clientes.telefono` (`0412…`, `412-…`) and in the API's paths and bodies.",
    ),
  WHATSAPP_ACCESS_TOKEN: optionalSecret.describe(
    'The Graph API token. **Without it Charla runs in sandbox mode**: replies go to a built-in simulated Graph API (announced at start-up) that posts `sent`/`delivered`/`read` statuses back through the signed webhook.',
  ),
  WHATSAPP_PHONE_NUMBER_ID: textLike(/^\d+$/, 'the numeric phone number id from Meta')
    .default(SANDBOX_PHONE_NUMBER_ID)
    .describe("The business number's id in Meta; messages are sent from it. The default is the sandbox's made-up id."),
  WHATSAPP_BUSINESS_ACCOUNT_ID: textLike(/^\d+$/, 'the numeric WhatsApp Business Account id from Meta')
    .optional()
    .describe(
      'The WhatsApp Business Account (WABA) the number belongs to: `charla templates sync` and `POST /api/v1/plantillas/sincronizar` read its approved message templates. Not needed in sandbox mode, which has its own templates.',
    ),
  WHATSAPP_API_URL: z
    .url()
    .default('https://graph.facebook.com')
    .describe('Base URL of the Graph API (a proxy, or a test server in tests); not used in sandbox mode.'),
  WHATSAPP_API_VERSION: textLike(/^v\d+\.\d+$/, 'a Graph API version such as v21.0')
    .default(GRAPH_API_VERSION)
    .describe('The pinned Graph API version Charla is written and tested against.'),
  WHATSAPP_TEST_RECIPIENT: textLike(/^\d{8,15}$/, 'a phone number in international digits, e.g. 584121234567')
    .optional()
    .describe('Test mode: every message goes to this number instead; the reply row records where it really went.'),
  LOCALE: textThat(isLocale, 'a locale such as es-VE').default('es-VE').describe('How amounts and dates are written to customers.'),
  CURRENCY: textLike(/^[A-Z]{3}$/, 'an ISO 4217 code such as USD or VES')
    .default('USD')
    .describe("The currency of the CRM's amounts, as written to customers."),
  TIMEZONE: textThat(isTimeZone, 'an IANA time zone such as America/Caracas')
    .default('America/Caracas')
    .describe('The lender\'s time zone: "today" for due dates and days late.'),
  WHATSAPP_OUTBOUND_PER_SECOND: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(80)
    .describe(
      'Outbound messages per second for the business number, shared by every sender process (counters in the database; in memory with PGlite).',
    ),
  REPLY_SEND_LEASE_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(3600)
    .default(120)
    .describe(
      'How long a reply claimed by a sender is reserved to it. A sender that dies mid-send gives it back after this; keep it above the longest send with retries (5 attempts, 15 s timeout each).',
    ),
  INBOX_EVENTS_KEEP_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(8760)
    .default(48)
    .describe(
      "How long the inbox's live events (`whatsapp_eventos`) are kept: a browser away for less than this catches up with `Last-Event-ID`; one away longer is told to reload (`reinicio`). Older events are deleted by the web process every few minutes.",
    ),
  JWT_SECRET: z
    .string()
    .min(32, 'must be at least 32 characters (a random string: `openssl rand -base64 48`)')
    .optional()
    .meta({ allowed: 'at least 32 characters' })
    .describe(
      'The HS256 key of the access tokens (JWTs) that `POST /api/v1/auth/login` and `/auth/refresh` issue. Unset: Charla makes a random key once and keeps it in the database (`charla_claves`), shared by every process; set it to keep the key out of the database.',
    ),
  LEGACY_JWT_SECRET: optionalSecret.describe(
    "The original backend's `SECRET_KEY`, for running beside it: an access token it issued (HS256, `sub` = user id, `type` = access) is accepted on Charla's API and mapped to the agent imported from that user (`charla agents import-legacy`). Unset: such tokens are refused.",
  ),
  HOW_TO_PAY_TEXT: z
    .string()
    .default(
      'Puedes pagar por transferencia o pago móvil a las cuentas de la empresa. Envía el comprobante por aquí y un asesor lo confirmará.',
    )
    .describe('What the bot answers to "¿cómo pago?": bank accounts, pago móvil, references.'),
  BOT_TEXTS_FILE: z
    .string()
    .optional()
    .describe(
      "A JSON file replacing any of the bot's texts with the lender's own words (docs/bot.md, \"The bot's texts\"). Read when the worker starts; a key the bot does not have or a placeholder it cannot fill stops the start. Unset: the default texts.",
    ),
});

export interface Config {
  database: DatabaseUrl;
  databaseUrlText: string;
  http: { port: number; host: string; publicUrl: string | undefined; trustProxyHops: number };
  logLevel: z.infer<typeof environmentSchema>['LOG_LEVEL'];
  whatsapp: { verifyToken: string | undefined; appSecret: string | undefined };
  /** Keys of the JWT access tokens: Charla's own (unset: kept in the database) and the original backend's. */
  auth: { jwtSecret: string | undefined; legacyJwtSecret: string | undefined };
  defaultCountryCode: string;
  graph: {
    accessToken: string | undefined;
    phoneNumberId: string;
    /** The WhatsApp Business Account whose message templates are synced (unset: none configured). */
    businessAccountId: string | undefined;
    apiUrl: string;
    version: string;
    testRecipient: string | undefined;
    /** Messages per second per business number, across all processes. */
    outboundPerSecond: number;
  };
  presentation: { locale: string; currency: string; howToPay: string };
  /** BOT_TEXTS_FILE: the lender's texts for the bot, read by the worker (src/bot/bot-texts.ts). */
  botTextsFile: string | undefined;
  /** How long a claimed reply stays reserved to one sender before another may send it. */
  sendLeaseMs: number;
  /** How long inbox events are kept for browsers that reconnect (`GET /api/v1/eventos`). */
  inboxEventsKeepMs: number;
  timezone: string;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = environmentSchema.safeParse(blankToUndefined(env));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new CharlaError('CONFIG_INVALID', `Invalid configuration:\n  ${problems.join('\n  ')}\nSee docs/configuration.md.`);
  }
  const e = parsed.data;
  return {
    database: parseDatabaseUrl(e.DATABASE_URL),
    databaseUrlText: e.DATABASE_URL,
    http: { port: e.PORT, host: e.HOST, publicUrl: e.PUBLIC_URL, trustProxyHops: e.TRUST_PROXY },
    logLevel: e.LOG_LEVEL,
    whatsapp: { verifyToken: e.WHATSAPP_VERIFY_TOKEN, appSecret: e.WHATSAPP_APP_SECRET },
    auth: { jwtSecret: e.JWT_SECRET, legacyJwtSecret: e.LEGACY_JWT_SECRET },
    defaultCountryCode: e.DEFAULT_COUNTRY_CODE,
    graph: {
      accessToken: e.WHATSAPP_ACCESS_TOKEN,
      phoneNumberId: e.WHATSAPP_PHONE_NUMBER_ID,
      businessAccountId: e.WHATSAPP_BUSINESS_ACCOUNT_ID,
      apiUrl: e.WHATSAPP_API_URL,
      version: e.WHATSAPP_API_VERSION,
      testRecipient: e.WHATSAPP_TEST_RECIPIENT,
      outboundPerSecond: e.WHATSAPP_OUTBOUND_PER_SECOND,
    },
    presentation: { locale: e.LOCALE, currency: e.CURRENCY, howToPay: e.HOW_TO_PAY_TEXT },
    botTextsFile: e.BOT_TEXTS_FILE,
    sendLeaseMs: e.REPLY_SEND_LEASE_SECONDS * 1000,
    inboxEventsKeepMs: e.INBOX_EVENTS_KEEP_HOURS * 3_600_000,
    timezone: e.TIMEZONE,
  };
}

/** The lender's calendar date in its time zone, `YYYY-MM-DD`. */
export function todayIn(zone: string, now = new Date()): string {
  return cached(
    dayFormats,
    zone,
    () => new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }),
  ).format(now);
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** Intl formatters are slow to build and immutable: one per key is kept. */
export function cached<T>(cache: Map<string, T>, key: string, build: () => T): T {
  let value = cache.get(key);
  if (value === undefined) {
    value = build();
    cache.set(key, value);
  }
  return value;
}

/** An empty variable (`FOO=`) means "not set", as operators expect from shell and .env files. */
function blankToUndefined(env: NodeJS.ProcessEnv): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(env).map(([key, value]) => [key, value === '' ? undefined : value]));
}
