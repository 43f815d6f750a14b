import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { loggerOptions } from '../src/logging/logger.js';
import { maskPersonalData } from '../src/logging/redaction.js';

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

  it('masks numbers however they are written, and leaves dates, times and IP addresses alone', () => {
    expect(maskPersonalData('"+58 414-123 4567" is not a phone number.')).toBe('"***4567" is not a phone number.');
    expect(maskPersonalData('(0414) 123.45.67 / 0212-7654321 / 412 1234567')).toBe('***4567 / ***4321 / ***4567');
    expect(maskPersonalData('+1 (555) 555-5555, cliente12345678@example.com')).toBe('***5555, [e-mail]');
    const harmless = 'at 2026-11-25T10:00:00.000Z from 192.168.100.200:3000, pid 12345, 3 of 120 rows, v1.2.3';
    expect(maskPersonalData(harmless)).toBe(harmless);
  });

  it('masks every string of every line: messages taken from errors, values at any depth, keys and bindings', () => {
    const { lines, log } = capture();
    log.error(new Error('No conversation with 584141234567.'));
    log.info({ err: new Error('"+58 414-123 4567" is not a phone number.') });
    log.info({ to: '+58 414 1234567', nested: { deeper: [{ email: 'ana.perez@example.com' }] }, '584141234567': 1 }, 'values');
    log.child({ numero: '584141234567' }).info('%s wrote', '0414-1234567');
    const text = JSON.stringify(lines);
    expect(text).not.toMatch(/1234567|123 4567|ana\.perez/);
    expect(lines.map((line) => line.msg)).toEqual([
      'No conversation with ***4567.',
      '"***4567" is not a phone number.',
      'values',
      '***4567 wrote',
    ]);
    expect(lines[2]).toMatchObject({ to: '***4567', nested: { deeper: [{ email: '[e-mail]' }] }, '***4567': 1 });
    expect(lines[3]?.numero).toBe('***4567');
    expect(typeof lines[0]?.time).toBe('number'); // numbers are not strings: timestamps stay as they are
  });

  it('logs an error under any key, or inside any value, like err: type, code and masked text, no driver fields', () => {
    const { lines, log } = capture();
    const error = Object.assign(new Error('duplicate key value'), { code: '23505', detail: 'Key (nombre)=(Ana Pérez) already exists.' });
    log.warn({ error, failures: [{ customer: 7, cause: error }] }, 'failed');
    const text = JSON.stringify(lines);
    expect(text).not.toContain('Ana Pérez');
    expect(lines[0]?.error).toMatchObject({ type: 'Error', code: '23505', message: 'duplicate key value' });
    expect((lines[0]?.failures as { cause: unknown }[])[0]?.cause).toMatchObject({ code: '23505' });
  });

  it('keeps the line valid JSON when a number or an address sits next to an escape', () => {
    const { lines, log } = capture(); // capture() parses every line
    log.info('tab\t584141234567 "quoted" \u0019584141234567 back\\ana@example.com');
    expect(lines[0]?.msg).toBe('tab\t***4567 "quoted" \u0019***4567 back\\[e-mail]');
  });
});
