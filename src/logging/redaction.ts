import { stdSerializers } from 'pino';

/** Seven or more digits in a row, with an optional `+`: a phone number (or a cédula) in free text. */
const DIGIT_RUN = /\+?\d{7,}/g;
const EMAIL = /[^\s@'"`<>()[\]{},;:]+@[^\s@'"`<>()[\]{},;:]+\.[a-z]{2,}/gi;

/** Phone numbers keep their last 4 digits (`***4567`), e-mails become `[e-mail]`: enough to correlate, not to identify. */
export function maskPersonalData(text: string): string {
  return text.replace(DIGIT_RUN, (run) => `***${run.slice(-4)}`).replace(EMAIL, '[e-mail]');
}

/**
 * Database drivers put the offending values in their errors (PostgreSQL's `detail`: "Key
 * (email)=(ana@…) already exists", MySQL's "Duplicate entry 'ana@…'", the SQL text with values):
 * an error is logged with its type, code and masked message and stack, never those fields.
 */
export function safeErrorSerializer(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: maskPersonalData(String(error)) };
  const serialized = stdSerializers.err(error) as unknown as Record<string, unknown>;
  const kept: Record<string, unknown> = {};
  for (const key of ['type', 'code', 'errno', 'sqlState', 'constraint', 'table', 'column', 'statusCode']) {
    if (serialized[key] !== undefined) kept[key] = serialized[key];
  }
  if (typeof serialized.message === 'string') kept.message = maskPersonalData(serialized.message);
  if (typeof serialized.stack === 'string') kept.stack = maskPersonalData(serialized.stack);
  if (error.cause !== undefined) kept.cause = safeErrorSerializer(error.cause);
  return kept;
}
