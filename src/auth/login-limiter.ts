import type { DatabaseUrl } from '../config/database-url.js';
import { createRateLimiter } from '../db/rate-limiter.js';
import { CharlaError } from '../errors/charla-error.js';

/** Failed sign-ins allowed per e-mail and address, and per address, in WINDOW_SECONDS. */
export const FAILURES_PER_ACCOUNT = 5;
export const FAILURES_PER_ADDRESS = 30;
export const WINDOW_SECONDS = 15 * 60;

export class LoginRateLimitedError extends CharlaError {
  constructor(readonly retryAfterSeconds: number) {
    super('LOGIN_RATE_LIMITED', `Too many failed sign-ins; try again in ${retryAfterSeconds} s.`);
  }
}

/**
 * Counts failed sign-ins (shared by every process through the database): after 5 failures for one
 * e-mail from one address, or 30 from one address, sign-in is refused for the rest of the 15 minutes
 * without checking the password. A success clears the e-mail's count.
 */
export function createLoginLimiter(database: DatabaseUrl) {
  const account = createRateLimiter(database, { points: FAILURES_PER_ACCOUNT, duration: WINDOW_SECONDS, keyPrefix: 'charla_login' });
  const address = createRateLimiter(database, { points: FAILURES_PER_ADDRESS, duration: WINDOW_SECONDS, keyPrefix: 'charla_login_ip' });
  const accountKey = (email: string, ip: string) => `${email.trim().toLowerCase()}|${ip}`;

  return {
    /** Throws LoginRateLimitedError when this e-mail or address has no attempts left. */
    async check(email: string, ip: string): Promise<void> {
      const [byAccount, byAddress] = await Promise.all([account.limiter.get(accountKey(email, ip)), address.limiter.get(ip)]);
      for (const [state, points] of [
        [byAccount, FAILURES_PER_ACCOUNT],
        [byAddress, FAILURES_PER_ADDRESS],
      ] as const) {
        if (state && state.consumedPoints >= points) throw new LoginRateLimitedError(Math.max(1, Math.ceil(state.msBeforeNext / 1000)));
      }
    },
    async failed(email: string, ip: string): Promise<void> {
      await Promise.all([account.limiter.penalty(accountKey(email, ip), 1), address.limiter.penalty(ip, 1)]);
    },
    async succeeded(email: string, ip: string): Promise<void> {
      await account.limiter.delete(accountKey(email, ip));
    },
    close: async (): Promise<void> => {
      await Promise.all([account.close(), address.close()]);
    },
  };
}

export type LoginLimiter = ReturnType<typeof createLoginLimiter>;
