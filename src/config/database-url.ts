import path from 'node:path';
import { CharlaError } from '../errors/charla-error.js';

export type DatabaseUrl = { kind: 'postgres'; url: string } | { kind: 'mysql'; url: string } | { kind: 'pglite'; dataDir: string | null };

export type DatabaseKind = DatabaseUrl['kind'];

const SCHEME = /^([a-z][a-z0-9+.-]*):/i;

/** Parses `DATABASE_URL`: `postgres://…`, `mysql://…`, `pglite:<dir>` or `pglite:memory`. */
export function parseDatabaseUrl(raw: string, cwd = process.cwd()): DatabaseUrl {
  const value = raw.trim();
  const scheme = SCHEME.exec(value)?.[1]?.toLowerCase();
  switch (scheme) {
    case 'postgres':
    case 'postgresql':
      assertServerUrl(value, scheme);
      return { kind: 'postgres', url: value };
    case 'mysql':
    case 'mariadb':
      assertServerUrl(value, scheme);
      return { kind: 'mysql', url: value.replace(/^mariadb:/i, 'mysql:') };
    case 'pglite': {
      const location = value.slice('pglite:'.length);
      if (location === 'memory') return { kind: 'pglite', dataDir: null };
      if (location === '') throw invalid(value, 'pglite: needs a directory, e.g. pglite:./data/db');
      if (/^[/\\]{2}(?![/\\])/.test(location))
        throw invalid(value, 'pglite: takes a folder (pglite:./data/db or pglite:/absolute/path), not a server URL');
      return { kind: 'pglite', dataDir: path.resolve(cwd, location) };
    }
    default:
      throw invalid(value, 'use postgres://…, mysql://…, pglite:<dir> or pglite:memory');
  }
}

/**
 * The URL with its credentials replaced, safe for logs and error messages, whatever its shape.
 *
 * Everything between `scheme:` (and its slashes) and the last `@` is taken as credentials: only a
 * plain user name before a `:` is kept (for the schemes Charla knows), the rest becomes `***`. So
 * a password with an unencoded `@`, `/`, `?`, `#` or `:`, or a URL with one slash, never shows; a
 * stray `@` in the query hides more than needed, never less. Without an `@`, a non-numeric "port"
 * is hidden too (more likely a password whose `@host` was forgotten), and so are `password=`
 * parameters. Text without a scheme is `***`, and so is what follows an unknown "scheme" that does
 * not look like a path or `//`: `user:secret` has the shape of `sqlite:./x.db`.
 */
export function redactDatabaseUrl(raw: string): string {
  const parts = splitDatabaseUrl(raw);
  if (!parts) return '***';
  if (!parts.known && parts.userinfo === null && !/^[/\\.]/.test(parts.rest)) return `${parts.scheme}:***`;
  const user = parts.known ? parts.plainUser : null;
  const credentials = parts.userinfo === null ? '' : user === null ? '***@' : `${user}${parts.hasPassword ? ':***' : ''}@`;
  let location = parts.location.replace(SECRET_PARAMETER, '$1=***');
  if (parts.userinfo === null) {
    location = location.replace(/^([^/?#:[\]]*):([^/?#]*)/, (all, host: string, port: string) =>
      /^\d*$/.test(port) ? all : `${host}:***`,
    );
  }
  return `${parts.prefix}${credentials}${location}`;
}

/**
 * `text` (a driver's error message, say) with every form of the credentials of `raw` replaced by
 * `***`: as written, percent-decoded, percent-encoded and as WHATWG URL serialises them.
 */
export function redactDatabaseSecrets(text: string, raw: string): string {
  const secrets = new Set<string>();
  const add = (secret: string | undefined): void => {
    if (!secret) return;
    for (const form of [secret, safeDecode(secret), encodeURIComponent(secret)]) if (form) secrets.add(form);
  };
  const parts = splitDatabaseUrl(raw);
  if (parts) {
    if (parts.userinfo !== null) {
      add(parts.hasPassword ? parts.userinfo.slice(parts.userinfo.indexOf(':') + 1) : undefined);
      if (parts.plainUser === null || !parts.known) add(parts.userinfo);
    } else if (!parts.known && !/^[/\\.]/.test(parts.rest)) {
      add(parts.rest);
    } else {
      add(/^[^/?#:[\]]*:([^/?#]*)/.exec(parts.location)?.[1]?.replace(/^\d*$/, ''));
    }
    for (const match of parts.location.matchAll(SECRET_PARAMETER)) add(match[2]);
  }
  try {
    const url = new URL(raw.trim());
    add(url.password);
    if (url.password) add(`${url.username}:${url.password}`);
  } catch {
    // Not a URL: the forms above are all there is.
  }
  let redacted = text;
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) redacted = redacted.split(secret).join('***');
  return redacted;
}

/** The text of DATABASE_URL that may hold a password, for `redactDatabaseSecrets` ('' for PGlite: a folder). */
export function connectionSecrets(url: DatabaseUrl): string {
  return url.kind === 'pglite' ? '' : url.url;
}

export function describeDatabase(url: DatabaseUrl): string {
  if (url.kind === 'pglite')
    return url.dataDir ? `embedded PostgreSQL (PGlite) at ${url.dataDir}` : 'embedded PostgreSQL (PGlite) in memory';
  return `${url.kind === 'postgres' ? 'PostgreSQL' : 'MySQL/MariaDB'} at ${redactDatabaseUrl(url.url)}`;
}

/** Query parameters that carry a secret: `password=`, `pass=`, `pwd=`, `…secret=`, `…token=`. */
const SECRET_PARAMETER = /\b([\w.-]*(?:pass(?:word)?|pwd|secret|token))=([^&#\s]*)/gi;

interface UrlParts {
  scheme: string;
  /** postgres, postgresql, mysql, mariadb or pglite. */
  known: boolean;
  /** What follows `scheme:`. */
  rest: string;
  /** `scheme:` with the slashes as written. */
  prefix: string;
  /** What comes before the last `@`, or null without one. */
  userinfo: string | null;
  /** The user name when it is plain enough to show (no `/`, `@`, `:`, space…), else null. */
  plainUser: string | null;
  hasPassword: boolean;
  /** Host, port, path and query. */
  location: string;
}

function splitDatabaseUrl(raw: string): UrlParts | null {
  const value = raw.trim();
  const scheme = SCHEME.exec(value)?.[1];
  if (scheme === undefined) return null;
  const rest = value.slice(scheme.length + 1);
  const afterSlashes = rest.replace(/^[/\\]*/, '');
  const prefix = value.slice(0, value.length - afterSlashes.length);
  const at = afterSlashes.lastIndexOf('@');
  const known = ['postgres', 'postgresql', 'mysql', 'mariadb', 'pglite'].includes(scheme.toLowerCase());
  if (at < 0) return { scheme, known, rest, prefix, userinfo: null, plainUser: null, hasPassword: false, location: afterSlashes };
  const userinfo = afterSlashes.slice(0, at);
  const colon = userinfo.indexOf(':');
  const user = colon < 0 ? userinfo : userinfo.slice(0, colon);
  return {
    scheme,
    known,
    rest,
    prefix,
    userinfo,
    plainUser: /^[\w.~%!$&'()*+,;=-]*$/.test(user) ? user : null,
    hasPassword: colon >= 0,
    location: afterSlashes.slice(at + 1),
  };
}

function safeDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/**
 * A server URL the drivers read as meant: `scheme://` with two slashes, parsable, credentials
 * before the host and percent-encoding that decodes. The WHATWG error is not kept as the cause: it
 * carries the whole URL, password included, as `input`.
 */
function assertServerUrl(value: string, scheme: string): void {
  const form = `${scheme}://user:password@host:port/database`;
  if (!/^[a-z][a-z0-9+.-]*:\/\/(?!\/)/i.test(value) && !/^[a-z][a-z0-9+.-]*:\/\/\/[^@]*$/i.test(value))
    throw invalid(value, `it must look like ${form} (two slashes after "${scheme}:")`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalid(
      value,
      `it is not a valid URL (${form}, a numeric port, and any @ : / ? # % in the password written as %40 %3A %2F %3F %23 %25)`,
    );
  }
  // An unencoded / ? or # in the password ends the host early and leaves "…@host" in the path.
  if (url.pathname.includes('@') || url.search.includes('@'))
    throw invalid(value, `the part after the host has an @: write any @ / ? # in the password as %40 %2F %3F %23 (${form})`);
  if (safeDecode(url.username) === undefined || safeDecode(url.password) === undefined)
    throw invalid(value, 'the user name or password has a % that is not percent-encoding: write it as %25');
}

function invalid(value: string, hint: string): CharlaError {
  return new CharlaError('DATABASE_URL_INVALID', `DATABASE_URL "${redactDatabaseUrl(value)}" is not usable: ${hint}.`);
}
