import { toGraphPayload, type ClientMessage } from './client-message.js';
import { classify, type Disposition } from './graph-errors.js';

export interface GraphClientOptions {
  /** `https://graph.facebook.com`, or the sandbox's / a test server's URL. */
  apiUrl: string;
  version: string;
  phoneNumberId: string;
  accessToken: string;
  /** Test mode: every message goes to this number instead, and the outcome says so. */
  testRecipient?: string | undefined;
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export type SendOutcome =
  | { ok: true; wamid: string; to: string; attempts: number }
  | { ok: false; disposition: Disposition; code: number | undefined; error: string; to: string; attempts: number };

interface GraphResponse {
  messages?: { id?: string }[];
  error?: { code?: number; message?: string; error_data?: { details?: string } };
}

/**
 * Sends messages through `POST {apiUrl}/{version}/{phoneNumberId}/messages`, retrying network
 * errors, 5xx and throttling with exponential backoff and full jitter, and reporting everything
 * else for the caller to record.
 */
export class GraphClient {
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly timeoutMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  constructor(private readonly options: GraphClientOptions) {
    this.maxAttempts = options.maxAttempts ?? 5;
    this.baseDelayMs = options.baseDelayMs ?? 250;
    this.maxDelayMs = options.maxDelayMs ?? 8_000;
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = options.random ?? Math.random;
  }

  get endpoint(): string {
    const { apiUrl, version, phoneNumberId } = this.options;
    return `${apiUrl.replace(/\/+$/, '')}/${version}/${phoneNumberId}/messages`;
  }

  async send(recipient: string, message: ClientMessage): Promise<SendOutcome> {
    const to = this.options.testRecipient ?? recipient;
    const body = JSON.stringify(toGraphPayload(to, message));
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.attempt(to, body, attempt);
      if (outcome.ok || outcome.disposition.kind !== 'retry' || attempt >= this.maxAttempts) return outcome;
      await this.sleep(this.backoff(attempt, outcome));
    }
  }

  private async attempt(to: string, body: string, attempts: number): Promise<SendOutcome & { retryAfterMs?: number }> {
    let response: Response;
    try {
      response = await fetch(this.endpoint, {
        method: 'POST',
        headers: { authorization: `Bearer ${this.options.accessToken}`, 'content-type': 'application/json' },
        body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      return {
        ok: false,
        disposition: { kind: 'retry' },
        code: undefined,
        error: `network error: ${(error as Error).message}`,
        to,
        attempts,
      };
    }
    const json = (await response.json().catch(() => ({}))) as GraphResponse;
    const wamid = json.messages?.[0]?.id;
    if (response.ok && wamid) return { ok: true, wamid, to, attempts };
    const code = json.error?.code;
    const details = json.error?.error_data?.details;
    const error = `${code ?? `HTTP ${response.status}`} ${json.error?.message ?? response.statusText}${details ? `: ${details}` : ''}`;
    const retryAfter = Number(response.headers.get('retry-after'));
    return {
      ok: false,
      disposition: classify(response.status, code),
      code,
      error,
      to,
      attempts,
      ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterMs: retryAfter * 1000 } : {}),
    };
  }

  /** Full jitter: a random wait up to base·2^(attempt−1), capped; at least what Retry-After asks. */
  private backoff(attempt: number, outcome: { retryAfterMs?: number }): number {
    const ceiling = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (attempt - 1));
    return Math.max(outcome.retryAfterMs ?? 0, Math.round(this.random() * ceiling));
  }
}
