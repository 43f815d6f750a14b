import { createHash } from 'node:crypto';
import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Database } from '../db/database.js';
import { retryOnDeadlock } from '../db/deadlock.js';
import { CharlaError } from '../errors/charla-error.js';

/** Failed sign-ins allowed per e-mail and address, and per address, in WINDOW_SECONDS. */
export const FAILURES_PER_ACCOUNT = 5;
export const FAILURES_PER_ADDRESS = 30;
export const WINDOW_SECONDS = 15 * 60;

export class LoginRateLimitedError extends CharlaError {
  constructor(readonly retryAfterSeconds: number) {
    super('LOGIN_RATE_LIMITED', `Too many failed sign-ins; try again in ${retryAfterSeconds} s.`, {
      detalle: `Demasiados intentos fallidos de inicio de sesión. Vuelve a intentarlo dentro de ${Math.max(1, Math.ceil(retryAfterSeconds / 60))} min.`,
    });
  }
}

/**
 * `limiter.consume(key)`: resolves while points are left, rejects with a RateLimiterRes when none
 * are. MySQL/MariaDB may pick one of several concurrent upserts of a new key as a deadlock victim;
 * it is safe to repeat.
 */
async function consume(limiter: RateLimiterAbstract, key: string): Promise<RateLimiterRes> {
  return retryOnDeadlock(() => limiter.consume(key));
}

/**
 * Limits sign-ins (shared by every process through the database): 5 failures for one e-mail from
 * one address, or 30 from one address, and sign-in is refused for the rest of the 15 minutes
 * without checking the password.
 *
 * Every attempt takes its point with the store's atomic increment *before* the password is checked
 * (`attempt`), so attempts sent at the same moment cannot all read "attempts left" and all be
 * checked; a successful sign-in gives its point back (`succeeded`), so only failures stay counted.
 * An attempt refused by one of the two limits is not counted by the other.
 */
export function createLoginLimiter(
  database: Pick<Database, 'rateLimiter'>,
  /** Other limits than the documented ones, for tests. */
  limits: { perAccount?: number; perAddress?: number } = {},
) {
  const perAccount = limits.perAccount ?? FAILURES_PER_ACCOUNT;
  const perAddress = limits.perAddress ?? FAILURES_PER_ADDRESS;
  const account = database.rateLimiter({ points: perAccount, duration: WINDOW_SECONDS, keyPrefix: 'charla_login' });
  const address = database.rateLimiter({ points: perAddress, duration: WINDOW_SECONDS, keyPrefix: 'charla_login_ip' });
  // Hashed: the stored key stays within the table's 255 characters and keeps e-mails out of it.
  const accountKey = (email: string, ip: string) => createHash('sha256').update(`${email.trim().toLowerCase()}|${ip}`).digest('base64url');

  return {
    /** Counts an attempt for this e-mail and address; throws LoginRateLimitedError when either limit has none left. */
    async attempt(email: string, ip: string): Promise<void> {
      const key = accountKey(email, ip);
      const [byAccount, byAddress] = await Promise.allSettled([consume(account, key), consume(address, ip)]);
      const refusals: RateLimiterRes[] = [];
      for (const outcome of [byAccount, byAddress]) {
        if (outcome.status === 'fulfilled') continue;
        if (!(outcome.reason instanceof RateLimiterRes)) throw outcome.reason;
        refusals.push(outcome.reason);
      }
      if (refusals.length === 0) return;
      await Promise.all([
        byAccount.status === 'fulfilled' ? account.reward(key, 1) : null,
        byAddress.status === 'fulfilled' ? address.reward(ip, 1) : null,
      ]);
      const waitMs = Math.max(...refusals.map((refusal) => refusal.msBeforeNext));
      throw new LoginRateLimitedError(Math.max(1, Math.ceil(waitMs / 1000)));
    },
    /** The attempt signed in: it gives its points back, so a person who types the password right is not counted. */
    async succeeded(email: string, ip: string): Promise<void> {
      await Promise.all([account.reward(accountKey(email, ip), 1), address.reward(ip, 1)]);
    },
  };
}

export type LoginLimiter = ReturnType<typeof createLoginLimiter>;
