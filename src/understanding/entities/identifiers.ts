import type { FoundEntity } from './entity.js';

/**
 * Cédulas and bank references. A cédula is volunteered with its letter ("V-12.345.678",
 * "E-81234567", "v12098765"), in the dotted form ("13.579.246"), or as bare digits after "cédula",
 * "C.I." or "soy". A reference is the number after "ref", "referencia", "comprobante" or
 * "operación"; a long number (six digits or more) that is nothing else is one too.
 */

const CEDULA_WITH_LETTER = /(?<![\p{L}\d])([VE])\s*[-.]?\s*(\d{1,2}\.\d{3}\.\d{3}|\d{6,9})(?![\d\p{L}])/giu;
const CEDULA_DOTTED = /(?<![\p{L}\d.,$])(\d{1,2}\.\d{3}\.\d{3})(?![\d\p{L}]|[.,]\d)/gu;
const CEDULA_AFTER_WORD =
  /(?<![\p{L}\d])(?:c[ée]dula(?:\s+de\s+identidad)?|c\.?\s?i\.?|soy)\s*(?:es|:|n[°º]|nro\.?|numero|número|#)?\s*(\d{6,9})(?![\d\p{L}])/giu;
const REFERENCE_AFTER_WORD =
  /(?<![\p{L}\d])(?:ref(?:erencia)?\.?|comprobante|operaci[oó]n|confirmaci[oó]n)\s*(?:es\s*|:\s*|n[°º]\.?\s*|nro\.?\s*|numero\s*|número\s*|#\s*|de\s+pago\s*)?(\d{4,})(?!\d)/giu;
const LONG_NUMBER = /(?<![\p{L}\d.,])\d{6,}(?![\d\p{L}]|[.,]\d)/gu;

const digits = (text: string) => text.replace(/\D/g, '');

function cedula(text: string, start: number, letter: string | undefined): FoundEntity {
  return { type: 'cedula', text, start, end: start + text.length, value: `${(letter ?? 'V').toUpperCase()}${digits(text)}` };
}

export function findCedulas(text: string): FoundEntity[] {
  const found: FoundEntity[] = [];
  for (const m of text.matchAll(CEDULA_WITH_LETTER)) found.push(cedula(m[0], m.index, m[1]));
  for (const m of text.matchAll(CEDULA_DOTTED)) found.push(cedula(m[0], m.index, undefined));
  for (const m of text.matchAll(CEDULA_AFTER_WORD)) {
    const number = m[1] as string;
    found.push(cedula(number, m.index + m[0].length - number.length, undefined));
  }
  return found;
}

export function findReferences(text: string): FoundEntity[] {
  const found: FoundEntity[] = [];
  for (const m of text.matchAll(REFERENCE_AFTER_WORD)) {
    const number = m[1] as string;
    const start = m.index + m[0].length - number.length;
    found.push({ type: 'reference', text: number, start, end: start + number.length, value: number });
  }
  return found;
}

/** Long numbers not taken by anything else: references. */
export function findLongNumbers(text: string): FoundEntity[] {
  return [...text.matchAll(LONG_NUMBER)].map((m) => ({
    type: 'reference' as const,
    text: m[0],
    start: m.index,
    end: m.index + m[0].length,
    value: m[0],
  }));
}
