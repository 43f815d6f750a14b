import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { loggerOptions } from '../src/logging/logger.js';

/** A pino logger with Charla's options writing into an array of parsed lines. */
function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { lines, log: pino(loggerOptions('debug'), stream) };
}

describe('log redaction', () => {
  it('masks phone numbers and e-mails in logged messages and URLs, keeping the last 4 digits', () => {
    const { lines, log } = capture();
    log.info('No customer has the number 584121234567 (ana.perez@example.com)');
    log.info({ req: { method: 'GET', url: '/api/v1/conversaciones-whatsapp/numero/+584121234567?x=1' } }, 'request');
    const text = JSON.stringify(lines);
    expect(text).not.toContain('584121234567');
    expect(text).not.toContain('ana.perez@example.com');
    expect(lines[0]?.msg).toBe('No customer has the number ***4567 ([e-mail])');
    expect((lines[1]?.req as { url: string }).url).toBe('/api/v1/conversaciones-whatsapp/numero/***4567?x=1');
  });

  it('logs a database error with its code, never the values the driver put in it', () => {
    const { lines, log } = capture();
    const error = Object.assign(new Error('duplicate key value violates unique constraint "ix_charla_agentes_email"'), {
      code: '23505',
      detail: 'Key (email)=(ana.perez@example.com) already exists.',
      constraint: 'ix_charla_agentes_email',
      sql: "insert into charla_agentes (email) values ('ana.perez@example.com')",
    });
    const mysqlError = Object.assign(new Error("Duplicate entry 'ana.perez@example.com' for key 'email'"), {
      errno: 1062,
      sqlState: '23000',
    });
    log.error({ err: error }, 'failed');
    log.error({ err: new Error('wrapped', { cause: mysqlError }) }, 'failed');
    const text = JSON.stringify(lines);
    expect(text).not.toContain('ana.perez@example.com');
    expect(text).not.toContain('Key (email)');
    expect(lines[0]?.err).toMatchObject({ code: '23505', constraint: 'ix_charla_agentes_email' });
    expect((lines[1]?.err as { cause: unknown }).cause).toMatchObject({
      errno: 1062,
      message: "Duplicate entry '[e-mail]' for key 'email'",
    });
  });
});
