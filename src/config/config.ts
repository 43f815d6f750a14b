import { z } from 'zod';
import { CharlaError } from '../errors/charla-error.js';
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
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  WHATSAPP_VERIFY_TOKEN: optionalSecret,
  WHATSAPP_APP_SECRET: optionalSecret,
  CHARLA_ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  DEFAULT_COUNTRY_CODE: z
    .string()
    .regex(/^\d{1,3}$/, 'must be a calling code such as 58')
    .default('58'),
});

export interface Config {
  database: DatabaseUrl;
  databaseUrlText: string;
  http: { port: number; host: string; publicUrl: string | undefined };
  logLevel: z.infer<typeof environmentSchema>['LOG_LEVEL'];
  whatsapp: { verifyToken: string | undefined; appSecret: string | undefined };
  adminToken: string | undefined;
  defaultCountryCode: string;
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
    http: { port: e.PORT, host: e.HOST, publicUrl: e.PUBLIC_URL },
    logLevel: e.LOG_LEVEL,
    whatsapp: { verifyToken: e.WHATSAPP_VERIFY_TOKEN, appSecret: e.WHATSAPP_APP_SECRET },
    adminToken: e.CHARLA_ADMIN_TOKEN,
    defaultCountryCode: e.DEFAULT_COUNTRY_CODE,
  };
}

/** An empty variable (`FOO=`) means "not set", as operators expect from shell and .env files. */
function blankToUndefined(env: NodeJS.ProcessEnv): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(env).map(([key, value]) => [key, value === '' ? undefined : value]));
}
