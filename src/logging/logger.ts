import type { LoggerOptions } from 'pino';
import { maskPersonalData, safeErrorSerializer } from './redaction.js';

/**
 * JSON logs with secrets, phone numbers and message bodies redacted wherever they could appear:
 * known fields by path, every logged message and URL by masking digit runs and e-mails, and
 * errors without the values database drivers put in them.
 */
export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers["x-hub-signature-256"]',
        'req.headers.cookie',
        '*.from_number',
        '*.to_number',
        '*.body',
        '*.telefono',
        '*.token',
        '*.password',
      ],
      censor: '[redacted]',
    },
    serializers: {
      err: safeErrorSerializer,
      req: (request: { method?: string; url?: string; id?: unknown; ip?: string }) => ({
        id: request.id,
        method: request.method,
        url: maskPersonalData(request.url ?? ''),
      }),
    },
    hooks: {
      // The message text of every line (`log.info({…}, 'No customer has the number 58412…')`).
      logMethod(args, method) {
        const masked = args.map((arg) => (typeof arg === 'string' ? maskPersonalData(arg) : arg)) as Parameters<typeof method>;
        method.apply(this, masked);
      },
    },
  };
}
