import type { FastifyInstance } from 'fastify';
import { sign } from './signature.js';

/**
 * Posts a notification to this application's own webhook (`path`) as Meta would: JSON signed with
 * the app secret in `X-Hub-Signature-256`, through `inject()`, so it takes the same signature check,
 * schema and ingest as a real delivery (the customer simulator, sandbox mode). Without a secret the
 * request goes unsigned and the webhook refuses it (WEBHOOK_NOT_CONFIGURED).
 */
export function selfDelivery(
  app: FastifyInstance,
  path: string,
  appSecret: string | undefined,
): (body: string) => Promise<{ statusCode: number; body: string }> {
  return async (body) => {
    const response = await app.inject({
      method: 'POST',
      url: path,
      headers: { 'content-type': 'application/json', ...(appSecret ? { 'x-hub-signature-256': sign(body, appSecret) } : {}) },
      payload: body,
    });
    return { statusCode: response.statusCode, body: response.body };
  };
}
