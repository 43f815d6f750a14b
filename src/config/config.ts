import { z } from 'zod';
import { CharlaError } from '../errors/charla-error.js';
import { GRAPH_API_VERSION } from '../graph/graph-client.js';
import { parseDatabaseUrl, type DatabaseUrl } from './database-url.js';

const optionalSecret = z.string().min(1).optional();

/**
 * The environment Charla reads, validated once at start-up. docs/configuration.md documents each
 * variable; a test keeps that page and this schema in step.
 */
export const environmentSchema = z.object({
  DATABASE_URL: z.string().min(1).default('pglite:./data/db'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  PUBLIC_URL: z.url().optional(),
  TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  WHATSAPP_VERIFY_TOKEN: optionalSecret,
  WHATSAPP_APP_SECRET: optionalSecret,
  DEFAULT_COUNTRY_CODE: z
    .string()
    .regex(/^\d{1,3}$/, 'must be a calling code such as 58')
    .default('58'),
  WHATSAPP_ACCESS_TOKEN: optionalSecret,
  WHATSAPP_PHONE_NUMBER_ID: z.string().regex(/^\d+$/, 'must be the numeric phone number id from Meta').optional(),
  WHATSAPP_API_URL: z.url().default('https://graph.facebook.com'),
  WHATSAPP_API_VERSION: z
    .string()
    .regex(/^v\d+\.\d+$/, 'must look like v21.0')
    .default(GRAPH_API_VERSION),
  WHATSAPP_TEST_RECIPIENT: z
    .string()
    .regex(/^\d{8,15}$/, 'must be a phone number in international digits, e.g. 584121234567')
    .optional(),
  LOCALE: z.string().default('es-VE'),
  CURRENCY: z
    .string()
    .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD or VES')
    .default('USD'),
  TIMEZONE: z.string().default('America/Caracas'),
  WHATSAPP_OUTBOUND_PER_SECOND: z.coerce.number().int().min(1).max(1000).default(80),
  REPLY_SEND_LEASE_SECONDS: z.coerce.number().int().min(1).max(3600).default(120),
  HOW_TO_PAY_TEXT: z
    .string()
    .default(
      'Puedes pagar por transferencia o pago móvil a las cuentas de la empresa. Envía el comprobante por aquí y un asesor lo confirmará.',
    ),
});

export interface Config {
  database: DatabaseUrl;
  databaseUrlText: string;
  http: { port: number; host: string; publicUrl: string | undefined; trustProxyHops: number };
  logLevel: z.infer<typeof environmentSchema>['LOG_LEVEL'];
  whatsapp: { verifyToken: string | undefined; appSecret: string | undefined };
  defaultCountryCode: string;
  graph: {
    accessToken: string | undefined;
    phoneNumberId: string;
    apiUrl: string;
    version: string;
    testRecipient: string | undefined;
    /** Messages per second per business number, across all processes. */
    outboundPerSecond: number;
  };
  presentation: { locale: string; currency: string; howToPay: string };
  /** How long a claimed reply stays reserved to one sender before another may send it. */
  sendLeaseMs: number;
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
    defaultCountryCode: e.DEFAULT_COUNTRY_CODE,
    graph: {
      accessToken: e.WHATSAPP_ACCESS_TOKEN,
      phoneNumberId: e.WHATSAPP_PHONE_NUMBER_ID ?? SANDBOX_PHONE_NUMBER_ID,
      apiUrl: e.WHATSAPP_API_URL,
      version: e.WHATSAPP_API_VERSION,
      testRecipient: e.WHATSAPP_TEST_RECIPIENT,
      outboundPerSecond: e.WHATSAPP_OUTBOUND_PER_SECOND,
    },
    presentation: { locale: checkedLocale(e.LOCALE), currency: e.CURRENCY, howToPay: e.HOW_TO_PAY_TEXT },
    sendLeaseMs: e.REPLY_SEND_LEASE_SECONDS * 1000,
    timezone: checkedTimezone(e.TIMEZONE),
  };
}

/** The phone number id the sandbox uses when none is configured. */
export const SANDBOX_PHONE_NUMBER_ID = '100000000000000';

function checkedLocale(locale: string): string {
  try {
    new Intl.NumberFormat(locale);
    return locale;
  } catch {
    throw new CharlaError(
      'CONFIG_INVALID',
      `Invalid configuration:\n  LOCALE: "${locale}" is not a locale such as es-VE.\nSee docs/configuration.md.`,
    );
  }
}

function checkedTimezone(zone: string): string {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone;
  } catch {
    throw new CharlaError(
      'CONFIG_INVALID',
      `Invalid configuration:\n  TIMEZONE: "${zone}" is not an IANA time zone such as America/Caracas.\nSee docs/configuration.md.`,
    );
  }
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
