import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config } from '../config/config.js';
import { CharlaError } from '../errors/charla-error.js';
import { maskPersonalData } from '../logging/redaction.js';
import { requireRole } from '../http/authentication.js';
import type { IngestService } from './ingest.service.js';
import { readNotification } from './notification-reader.js';
import { isValidSignature, secretsEqual } from './signature.js';
import { serverWebhookPayloadSchema } from './webhook-payload.schema.js';

export const WEBHOOK_PATH = '/api/v1/whatsapp/webhook';
/** Meta's notifications are small; a few MB is more than any real one. */
export const WEBHOOK_BODY_LIMIT = 3 * 1024 * 1024;

/** As Fastify parses it: a repeated parameter is an array. */
interface VerifyQuery {
  'hub.mode'?: string | string[];
  'hub.verify_token'?: string | string[];
  'hub.challenge'?: string | string[];
}

/** Meta's webhook contract (docs/webhook.md): verification, signed notifications, and the info page. */
export async function webhookRoutes(app: FastifyInstance, options: { config: Config; ingest: IngestService }): Promise<void> {
  const { config, ingest } = options;

  app.get<{ Querystring: VerifyQuery }>(WEBHOOK_PATH, async (request, reply) => {
    const { verifyToken } = config.whatsapp;
    const query = request.query;
    // A repeated parameter arrives as an array: not a verification Meta would send.
    const given = query['hub.verify_token'];
    const challenge = query['hub.challenge'] ?? '';
    if (
      !verifyToken ||
      query['hub.mode'] !== 'subscribe' ||
      typeof given !== 'string' ||
      typeof challenge !== 'string' ||
      !secretsEqual(given, verifyToken)
    ) {
      throw new CharlaError(
        'WEBHOOK_VERIFICATION_FAILED',
        verifyToken
          ? 'Verification refused: hub.mode must be "subscribe" and hub.verify_token must equal WHATSAPP_VERIFY_TOKEN.'
          : 'Verification refused: WHATSAPP_VERIFY_TOKEN is not configured.',
      );
    }
    return reply.type('text/plain').send(challenge);
  });

  // The body stays raw bytes until its signature is checked.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: WEBHOOK_BODY_LIMIT }, (_request, body, done) => done(null, body));

  app.post(WEBHOOK_PATH, { bodyLimit: WEBHOOK_BODY_LIMIT }, async (request, reply) => {
    const raw = rawBody(request);
    const { appSecret } = config.whatsapp;
    if (!appSecret) throw new CharlaError('WEBHOOK_NOT_CONFIGURED', 'WHATSAPP_APP_SECRET is not set: deliveries cannot be verified.');
    if (!isValidSignature(raw, request.headers['x-hub-signature-256'] as string | undefined, appSecret)) {
      throw new CharlaError('WEBHOOK_SIGNATURE_INVALID', 'X-Hub-Signature-256 is missing or does not match the body; nothing was stored.');
    }
    const notification = readNotification(parsePayload(raw), new Date());
    for (const error of notification.errors)
      request.log.warn({ metaError: maskPersonalData(error) }, 'Meta reported an error in a notification');
    if (notification.quarantined.length > 0 || notification.repaired > 0) {
      request.log.warn(
        {
          quarantined: notification.quarantined.length,
          repaired: notification.repaired,
          reasons: notification.quarantined.map((q) => maskPersonalData(q.motivo)),
        },
        'webhook items quarantined or repaired (GET /api/v1/cuarentena)',
      );
    }
    try {
      await ingest.ingest(notification);
    } catch (cause) {
      throw new CharlaError('INGEST_FAILED', 'The delivery could not be stored; Meta will send it again.', { cause });
    }
    return reply.send({ status: 'ok' });
  });

  app.get(`${WEBHOOK_PATH}/info`, { onRequest: [app.requireSignIn, requireRole('admin')] }, async (request) => ({
    webhook_url: `${config.http.publicUrl ?? `${request.protocol}://${request.host}`}${WEBHOOK_PATH}`,
    verify_token_configured: config.whatsapp.verifyToken !== undefined,
    app_secret_configured: config.whatsapp.appSecret !== undefined,
    signature_check: 'X-Hub-Signature-256 (HMAC-SHA256 of the raw body)',
    body_limit_bytes: WEBHOOK_BODY_LIMIT,
  }));
}

function rawBody(request: FastifyRequest): Buffer {
  return Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
}

function parsePayload(raw: Buffer) {
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch (cause) {
    throw new CharlaError('WEBHOOK_PAYLOAD_INVALID', `The body is not valid JSON: ${(cause as Error).message}. Nothing was stored.`);
  }
  const parsed = serverWebhookPayloadSchema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new CharlaError(
      'WEBHOOK_PAYLOAD_INVALID',
      `Not a whatsapp_business_account notification (${first.join('; ')}). Nothing was stored.`,
    );
  }
  return parsed.data;
}
