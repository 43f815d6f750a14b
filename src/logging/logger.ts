import { openSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import pino, { type DestinationStream, type Level, type LevelWithSilent, type LoggerOptions } from 'pino';
import { maskLogLine, maskPersonalData, safeErrorSerializer, withSafeErrors } from './redaction.js';

/**
 * JSON logs with secrets, phone numbers and message bodies redacted wherever they could appear:
 * known fields by path; errors, under any key, without the values database drivers put in them;
 * and, last, every string of every line (message, values at any depth, bindings) masked by
 * `maskLogLine` just before it is written, so no call site has to remember to.
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
    formatters: { log: withSafeErrors },
    hooks: { streamWrite: maskLogLine },
  };
}

/** The test suite's capture of everything Charla logs: a folder, one file per process. */
export const LOG_CAPTURE_ENV = 'CHARLA_LOG_CAPTURE';

/**
 * Charla's logger: JSON on stdout at `level`, or nothing when `print` is false (tests' apps).
 *
 * With CHARLA_LOG_CAPTURE=<folder> (set by the test suite, test/log-capture.setup.ts, and inherited
 * by the charla processes tests start), every line at `info` or above (or at `level`, if more
 * verbose) is also appended to `<folder>/<pid>.ndjson`, whatever `level` and `print` say: the
 * suite checks that what production would print holds no phone number or e-mail
 * (test/global-setup.ts). Without the variable this is `pino(loggerOptions(level))`.
 */
export function createLogger(level: LevelWithSilent, options: { print?: boolean } = {}): FastifyBaseLogger {
  const printed = options.print === false ? 'silent' : level;
  const capture = captureStream();
  if (!capture) return pino(loggerOptions(printed));
  const captured: Level = level !== 'silent' && pino.levels.values[level]! < pino.levels.values.info! ? level : 'info';
  const streams: pino.StreamEntry[] = [{ level: captured, stream: capture }];
  if (printed !== 'silent') streams.push({ level: printed, stream: pino.destination(1) });
  return pino(loggerOptions(captured), pino.multistream(streams));
}

const CAPTURE: unique symbol = Symbol.for('charla.logCapture');

/** One file per process, opened once and shared by its loggers; synchronous, so a SIGKILL loses nothing. */
function captureStream(): DestinationStream | undefined {
  const folder = process.env[LOG_CAPTURE_ENV];
  if (!folder) return undefined;
  // On globalThis: test runners load this module afresh for every test file of a process.
  const open = ((globalThis as { [CAPTURE]?: Map<string, DestinationStream> })[CAPTURE] ??= new Map<string, DestinationStream>());
  let stream = open.get(folder);
  if (!stream) {
    const fd = openSync(path.join(folder, `${process.pid}.ndjson`), 'a');
    stream = { write: (line: string) => void writeSync(fd, line) };
    open.set(folder, stream);
  }
  return stream;
}
