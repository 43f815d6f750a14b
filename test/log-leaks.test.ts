import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { demoCustomers } from '../src/demo/demo-data.js';
import { checkCapturedLogs, findLeaks, redactLeaks } from './helpers/log-leaks.js';
import { BUSINESS_NUMBER } from './helpers/payloads.js';

const line = (fields: Record<string, unknown>): string =>
  JSON.stringify({ level: 30, time: 1795653201001, pid: 15466, hostname: 'vm', reqId: 'req-1', ...fields });

describe('the suite-wide log check (test/helpers/log-leaks.ts)', () => {
  it('finds the numbers the tests use, however they are written, and e-mail addresses', () => {
    const numbers = [
      '584121234567',
      '58414' + '0000007',
      '+584121234567',
      '+58 414 1234567',
      '+58 412-1234567',
      '0412-1234567',
      '04121234567',
      '412-1234567',
      '(0414) 123.45.67',
      '0212-7654321',
      BUSINESS_NUMBER,
      '15550000000',
      '16315551181',
      '+1 555-555-5555',
      '+1 666-666-6666',
      '+44 20 7946 0958',
      ...demoCustomers().flatMap((c) => [c.whatsapp, c.telefono]),
    ];
    for (const number of numbers) {
      const found = findLeaks(line({ msg: `No conversation with ${number}.` })).map((l) => l.kind);
      // A CRM field may hold two numbers ("0414… / 0212…"): one leak each.
      expect({ number, found }).toEqual({ number, found: number.includes('/') ? ['phone', 'phone'] : ['phone'] });
    }
    expect(findLeaks(line({ err: { message: 'Duplicate entry ana.perez@example.com' } })).map((l) => l.kind)).toEqual(['e-mail']);
  });

  it('does not take timestamps, pids, ids, wamids, hashes or masked numbers for phone numbers', () => {
    const harmless = [
      line({ msg: 'No conversation with ***4567.', code: 'HTTP_NOT_FOUND' }),
      line({ wamid: 'wamid.HBgMNTg0MTIxMjM0NTY3FQIAEhggM0VCMEMzRjU0MjY0OEQ5NjE0NjE2AA==', responseTime: 12.345678 }),
      line({ id: 'wamid.sandbox-8a1c9e7b-5f3d-4e2a-9b6c-446655440000', phone_number_id: '106540352242922' }),
      line({ timestamp: '1732500000', sha: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' }),
      line({ url: 'postgres://postgres@127.0.0.1:5432/charla_t_1234_abcd', at: '2026-11-25T10:00:00.000+00:00', pid: 4141234 }),
    ];
    for (const text of harmless) expect({ text, leaks: findLeaks(text) }).toEqual({ text, leaks: [] });
  });

  describe('over a capture folder', () => {
    let folder: string | undefined;
    afterEach(() => folder && rmSync(folder, { recursive: true, force: true }));

    it('names the offending line, redacted, and passes clean lines', () => {
      folder = mkdtempSync(path.join(tmpdir(), 'charla-logs-test-'));
      writeFileSync(path.join(folder, '101.ndjson'), `${line({ msg: 'reply sent' })}\n${line({ msg: 'No conversation with ***4567.' })}\n`);
      writeFileSync(
        path.join(folder, '102.ndjson'),
        `${line({ msg: 'ok' })}\n${line({ msg: '"+58 414-123 4567" is not a phone number.' })}\n`,
      );
      writeFileSync(path.join(folder, '103.ndjson'), `${line({ req: { url: '/api/v1/conversaciones/%2B58%20414%201234567' } })}\n`);
      const report = checkCapturedLogs(folder);
      expect(report).toMatchObject({ files: 3, lines: 5 });
      expect(report.offending).toHaveLength(2);
      expect(report.offending[0]).toMatch(/^102\.ndjson:2: .*"\\"\[phone\]\\" is not a phone number\."/);
      expect(report.offending[1]).toMatch(/^103\.ndjson:1: .*"\/api\/v1\/conversaciones\/\[phone\]"/);
      expect(report.offending.join('\n')).not.toMatch(/4567/);
    });
  });

  it('redacts every leak of a line', () => {
    const text = 'from 584121234567 to +58 414-123 4567 (ana@example.com)';
    expect(redactLeaks(text)).toBe('from [phone] to [phone] ([e-mail])');
  });
});
