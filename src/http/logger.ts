import type { LoggerOptions } from 'pino';

/**
 * JSON logs with secrets, phone numbers and message bodies redacted wherever they could appear.
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
  };
}
