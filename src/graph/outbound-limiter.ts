import { RateLimiterRes } from 'rate-limiter-flexible';
import type { Database } from '../db/database.js';

/** Waits for a free slot in the business number's outbound budget, shared by all processes. */
export interface OutboundLimiter {
  /** How many sends one `acquire` may ask for: the budget of one tenth-of-a-second window. */
  readonly windowSize: number;
  /** Resolves once `count` sends (1 by default, at most `windowSize`) fit in the budget. */
  acquire(count?: number): Promise<void>;
}

/**
 * `perSecond` messages per second per business number across every sender process, counted by the
 * database's shared rate limiter (`Database.rateLimiter`).
 */
export function createOutboundLimiter(database: Pick<Database, 'rateLimiter'>, phoneNumberId: string, perSecond: number): OutboundLimiter {
  // Tenth-of-a-second windows: a fixed one-second window would let two seconds' worth through across
  // a window boundary; this keeps any sliding second within about a tenth above the limit.
  const points = Math.max(1, Math.round(perSecond / 10));
  const common = { points, duration: points / perSecond, keyPrefix: 'charla_envios' };
  const limiter = database.rateLimiter(common);
  return {
    windowSize: points,
    async acquire(count = 1) {
      if (count > points) throw new RangeError(`acquire(${count}): at most ${points} at once`);
      for (;;) {
        try {
          await limiter.consume(phoneNumberId, count);
          return;
        } catch (rejection) {
          if (!(rejection instanceof RateLimiterRes)) throw rejection;
          // A refused request is still counted, so this window is full for everyone: wait for the next.
          await new Promise((resolve) => setTimeout(resolve, Math.max(5, rejection.msBeforeNext)));
        }
      }
    },
  };
}
