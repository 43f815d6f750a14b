import type { FastifyError, FastifyInstance } from 'fastify';
import { LoginRateLimitedError } from '../auth/login-limiter.js';
import { CharlaError } from '../errors/charla-error.js';

export interface ErrorBody {
  error: { code: string; message: string };
}

/**
 * Every error answers `{ error: { code, message } }` with the catalogue's status. Fastify's own
 * errors (body too large, bad content) are mapped to catalogue codes; anything else is a 500
 * whose details go to the log, not to the caller. The caller reads the message as it is ("No
 * conversation with 584141234567."); the log line is masked by the logger (src/logging/logger.ts).
 */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((thrown: FastifyError | CharlaError | Error, request, reply) => {
    const error = toCharlaError(thrown);
    if (error.httpStatus >= 500) request.log.error({ err: thrown }, error.message);
    else request.log.info({ code: error.code }, error.message);
    const body: ErrorBody = { error: { code: error.code, message: error.message } };
    if (error instanceof LoginRateLimitedError) void reply.header('retry-after', String(error.retryAfterSeconds));
    return reply.status(error.httpStatus).send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    const body: ErrorBody = { error: { code: 'HTTP_NOT_FOUND', message: `No route ${request.method} ${request.url.split('?')[0]}.` } };
    return reply.status(404).send(body);
  });
}

function toCharlaError(thrown: FastifyError | CharlaError | Error): CharlaError {
  if (thrown instanceof CharlaError) return thrown;
  const fastifyError = thrown as FastifyError;
  if (fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return new CharlaError('WEBHOOK_PAYLOAD_TOO_LARGE', 'The request body is larger than the 3 MB limit; nothing was stored.');
  }
  if (fastifyError.statusCode !== undefined && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    return new CharlaError('HTTP_BAD_REQUEST', fastifyError.message);
  }
  return new CharlaError('INTERNAL_ERROR', 'Internal error; the request was not completed. It is safe to retry.', { cause: thrown });
}
