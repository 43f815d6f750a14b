/**
 * How the sender treats each Graph API outcome (Meta's error codes:
 * https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes).
 */
export type Disposition =
  /** Try again soon, with backoff and jitter: network errors, 5xx, throttling. */
  | { kind: 'retry' }
  /** Too many messages to this customer: wait before the next one to them. */
  | { kind: 'space'; delayMs: number }
  /** Will fail the same way again: record it, do not retry. */
  | { kind: 'permanent' };

/** Meta asks for at least 6 s between messages to one customer after 131056. */
export const PAIR_RATE_LIMIT_DELAY_MS = 6_000;

const THROTTLING = new Set([4, 80007, 130429, 131048]);
const PAIR_RATE_LIMIT = 131056;

export function classify(httpStatus: number, code: number | undefined): Disposition {
  if (code === PAIR_RATE_LIMIT) return { kind: 'space', delayMs: PAIR_RATE_LIMIT_DELAY_MS };
  if (httpStatus === 429 || (code !== undefined && THROTTLING.has(code))) return { kind: 'retry' };
  if (httpStatus >= 500) return { kind: 'retry' };
  // 131047 outside the 24-hour window, 131026 undeliverable, 131030 not an allowed recipient,
  // 100 / 131008 / 131009 invalid parameters, 190 expired token, and any other 4xx.
  return { kind: 'permanent' };
}
