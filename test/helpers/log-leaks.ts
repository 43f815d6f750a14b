import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The suite's check of everything Charla logged during the run (src/logging/logger.ts writes it to
 * CHARLA_LOG_CAPTURE, test/global-setup.ts checks it): no phone number, no e-mail address.
 *
 * Keyed on the numbers the tests use, so that timestamps (13 digits in ms), pids, ids, hashes and
 * `wamid`s are not taken for phone numbers:
 * - Venezuelan mobiles (and Caracas lines) however written: `584121234567` (Meta's digits, in
 *   test/helpers/payloads.ts and the generated `58414…`/`58412…` senders), `+58 414 1234567`,
 *   `0412-1234567`, `(0414) 123.45.67` (the CRM's writings in src/demo/demo-data.ts);
 * - the fictional North American 555 numbers of the fixtures: `15550001234` (BUSINESS_NUMBER),
 *   `15550000000` (the sandbox), `16315551181` (Meta's sample payloads), `+1 555-555-5555`;
 * - any number written with `+` and 10 to 15 digits (`+44 20 7946 0958`);
 * - any e-mail address.
 */
const SEP = '[ .-]?';
const PHONE_PATTERNS: RegExp[] = [
  // 58 / 0 prefix optional, then 412|414|416|424|426|212 and 7 digits, separated or not.
  new RegExp(String.raw`(?<!\d)(?:\+?58${SEP}|0)?\(?0?(?:4(?:12|14|16|24|26)|212)\)?${SEP}\d{3}${SEP}\d{2}${SEP}\d{2}(?!\d)`, 'g'),
  // NANP 555: area code 555 or exchange 555, country code 1 optional.
  new RegExp(String.raw`(?<!\d)(?:\+?1${SEP})?(?:\(?555\)?${SEP}\d{3}|\(?[2-9]\d{2}\)?${SEP}555)${SEP}\d{4}(?!\d)`, 'g'),
];
/** `+`, then digits with single separators; counts as a number with 10 to 15 digits. */
const INTERNATIONAL = /(?<![\w+])\+\d(?:[ .-]?\(?\d+\)?)+(?!\d)/g;
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;

export interface Leak {
  kind: 'phone' | 'e-mail';
  start: number;
  end: number;
}

/** Where `line` holds a phone number or an e-mail address. */
export function findLeaks(line: string): Leak[] {
  const leaks: Leak[] = [];
  const add = (kind: Leak['kind'], pattern: RegExp, accept: (match: string) => boolean = () => true): void => {
    for (const match of line.matchAll(pattern)) {
      if (accept(match[0])) leaks.push({ kind, start: match.index, end: match.index + match[0].length });
    }
  };
  for (const pattern of PHONE_PATTERNS) add('phone', pattern);
  add('phone', INTERNATIONAL, (match) => {
    const digits = match.replace(/\D/g, '').length;
    return digits >= 10 && digits <= 15;
  });
  add('e-mail', EMAIL);
  // Several patterns may find the same number: one leak per stretch of the line.
  const merged: Leak[] = [];
  for (const leak of leaks.sort((a, b) => a.start - b.start)) {
    const last = merged.at(-1);
    if (last && leak.start < last.end) last.end = Math.max(last.end, leak.end);
    else merged.push({ ...leak });
  }
  return merged;
}

/** The line with each leak replaced by `[phone]` / `[e-mail]`: failure messages must not leak either. */
export function redactLeaks(line: string, leaks = findLeaks(line)): string {
  let result = '';
  let at = 0;
  for (const leak of leaks) {
    result += `${line.slice(at, leak.start)}[${leak.kind}]`;
    at = leak.end;
  }
  return result + line.slice(at);
}

export interface CaptureReport {
  files: number;
  lines: number;
  /** One entry per offending line: `<file>:<line>: <the line, redacted and shortened>`. */
  offending: string[];
}

/** Reads every capture file in `folder` and lists the lines that leak. */
export function checkCapturedLogs(folder: string): CaptureReport {
  const report: CaptureReport = { files: 0, lines: 0, offending: [] };
  for (const name of readdirSync(folder)) {
    report.files++;
    const lines = readFileSync(path.join(folder, name), 'utf8').split('\n');
    lines.forEach((line, index) => {
      if (line === '') return;
      report.lines++;
      // Cheap first: most lines have neither a long digit run nor an `@`.
      if (!/\d{3}|@|%/.test(line)) return;
      // URL-encoded (`/numero/%2B58%20414%201234567`, `ana%40example.com`): checked decoded.
      const decoded = line.replace(/%([0-9a-f]{2})/gi, (_escape, hex: string) => String.fromCharCode(parseInt(hex, 16)));
      const leaks = findLeaks(decoded);
      if (leaks.length === 0) return;
      const first = leaks[0] as Leak;
      const redacted = redactLeaks(decoded, leaks);
      const from = Math.max(0, first.start - 150);
      const shown = `${from > 0 ? '…' : ''}${redacted.slice(from, from + 400)}${redacted.length > from + 400 ? '…' : ''}`;
      report.offending.push(`${name}:${index + 1}: ${shown}`);
    });
  }
  return report;
}
