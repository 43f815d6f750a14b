import type { FastifyError, FastifyInstance } from 'fastify';
import { LoginRateLimitedError } from '../auth/login-limiter.js';
import { CharlaError } from '../errors/charla-error.js';
import { errorCatalogue } from '../errors/error-catalogue.js';
import { validationDetail } from './validation-detail.js';

export interface ErrorBody {
  error: { code: string; message: string };
  /** The Spanish sentence an agent reads (the original API's `detail`, which its front end shows). */
  detail: string;
}

/**
 * Every error answers `{ error: { code, message }, detail }` with the catalogue's status:
 * `message` for the operator (English), `detail` for the agent (Spanish; the original front end
 * shows it). Fastify's own errors (body too large, bad content, a schema's 400) are mapped to
 * catalogue codes; anything else is a 500 whose details go to the log, not to the caller. The
 * caller reads the message as it is ("No conversation with 584141234567."); the log line is
 * masked by the logger (src/logging/logger.ts).
 */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((thrown: FastifyError | CharlaError | Error, request, reply) => {
    const error = toCharlaError(thrown);
    if (error.httpStatus >= 500) request.log.error({ err: thrown }, error.message);
    else request.log.info({ code: error.code }, error.message);
    const body: ErrorBody = { error: { code: error.code, message: error.message }, detail: error.detalle };
    if (error instanceof LoginRateLimitedError) void reply.header('retry-after', String(error.retryAfterSeconds));
    return reply.status(error.httpStatus).send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    const route = `${request.method} ${request.url.split('?')[0]}`;
    const body: ErrorBody = {
      error: { code: 'HTTP_NOT_FOUND', message: `No route ${route}.` },
      detail: `La dirección ${route} no existe en Charla: revísala.`,
    };
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
    return new CharlaError('HTTP_BAD_REQUEST', fastifyError.message, { detalle: badRequestDetail(fastifyError) });
  }
  return new CharlaError('INTERNAL_ERROR', 'Internal error; the request was not completed. It is safe to retry.', { cause: thrown });
}

/** The Spanish sentence of a 400 Fastify raised: the fields a schema refused, or what was wrong with the body. */
function badRequestDetail(error: FastifyError): string {
  if (error.validation?.length) return validationDetail(error.validation);
  if (error.code === 'FST_ERR_CTP_INVALID_JSON_BODY') return 'El cuerpo de la solicitud no es JSON válido.';
  if (error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return 'Falta el cuerpo de la solicitud (JSON).';
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
    return 'El tipo de contenido no se admite: envía JSON (Content-Type: application/json).';
  return errorCatalogue.HTTP_BAD_REQUEST.detalle;
}
