import type { FoundEntity } from './entity.js';

/**
 * Money with its currency as written: "50$", "$30", "USD 45", "Bs. 1.200,50", "20 dolares",
 * "40 verdes", "50 mil bs". A comma is the decimal separator; a dot before three digits separates
 * thousands ("Bs. 1.200,50" → 1200.5); "mil" multiplies by a thousand.
 */

const NUMBER = String.raw`\d{1,3}(?:\.\d{3})+(?:,\d{1,2})?|\d+(?:[.,]\d{1,2})?`;
const BEFORE = String.raw`(?:bs\.?\s?s?|bsf|bsd|ves|us\$|usd|\$)`;
const AFTER = String.raw`(?:\$|us\$|usd|bs|bsf|bolivares|bolívares|bolos|d[oó]lares|d[oó]lar|verdes|lucas)`;
const AMOUNT = new RegExp(
  String.raw`(?<![\p{L}\d.,])(?:${BEFORE}\s*(?:${NUMBER})(?:\s+mil)?|(?:${NUMBER})(?:\s+mil)?\s*${AFTER})(?![\p{L}\d])`,
  'giu',
);

/** The number an amount writes. */
export function amountValue(text: string): number {
  const number = (/\d[\d.,]*/.exec(text)?.[0] ?? '0').replace(/[.,]$/, '');
  const plain = number.includes(',') ? number.replaceAll('.', '').replace(',', '.') : number.replace(/\.(?=\d{3}(?:\.|$))/g, '');
  return Number(plain) * (/\bmil\b/i.test(text) ? 1000 : 1);
}

export function findAmounts(text: string): FoundEntity[] {
  return [...text.matchAll(AMOUNT)].map((match) => ({
    type: 'amount' as const,
    text: match[0],
    start: match.index,
    end: match.index + match[0].length,
    value: amountValue(match[0]),
  }));
}
