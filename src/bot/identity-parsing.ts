/**
 * Reading what an unknown customer gives to prove who they are: a cédula (`V-12345678`,
 * `12.345.678`, `12345678`) and a date of birth (`04/03/1985`, `4-3-85`, `1985-03-04`,
 * `4 de marzo de 1985`, `marzo 4 1985`, `4 marzo 85`).
 */
export function parseCedula(text: string): string | null {
  const match = /(?:^|[^\p{Letter}\d])([VEJPG])?\s*[-.]?\s*(\d{1,2}(?:[.,\s]?\d{3}){2}|\d{6,9})(?!\d)/iu.exec(text.trim());
  if (!match) return null;
  const digits = (match[2] as string).replace(/\D/g, '');
  return digits.length >= 6 && digits.length <= 9 ? digits : null;
}

/** The digits of a CRM cédula (`V-12.345.678` → `12345678`), for comparison. */
export function cedulaDigits(value: string): string {
  return value.replace(/\D/g, '');
}

const MONTHS = [
  'enero',
  'febrero',
  'marzo',
  'abril',
  'mayo',
  'junio',
  'julio',
  'agosto',
  'septiembre',
  'octubre',
  'noviembre',
  'diciembre',
];

/** A date as `YYYY-MM-DD`, or null when the text holds no valid one. Day first, as written in Venezuela. */
export function parseBirthDate(text: string, today = new Date()): string | null {
  const plain = text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase();
  let day: number, month: number, year: number;
  const iso = /(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})/.exec(plain);
  const numeric = /(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{2,4})/.exec(plain);
  const worded = /(\d{1,2})\s*(?:de\s+)?([a-z]+)\s*,?\s*(?:de(?:l)?\s+)?(\d{2,4})/.exec(plain);
  const monthFirst = /([a-z]+)\s+(\d{1,2})\s*,?\s*(?:de(?:l)?\s+)?(\d{2,4})/.exec(plain);
  if (iso) [year, month, day] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  else if (numeric) [day, month, year] = [Number(numeric[1]), Number(numeric[2]), Number(numeric[3])];
  else if (worded && MONTHS.includes(setMonth(worded[2] as string))) {
    [day, month, year] = [Number(worded[1]), MONTHS.indexOf(setMonth(worded[2] as string)) + 1, Number(worded[3])];
  } else if (monthFirst && MONTHS.includes(setMonth(monthFirst[1] as string))) {
    [day, month, year] = [Number(monthFirst[2]), MONTHS.indexOf(setMonth(monthFirst[1] as string)) + 1, Number(monthFirst[3])];
  } else return null;
  if (year < 100) year += year > today.getUTCFullYear() % 100 ? 1900 : 2000;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day || date > today) return null;
  return date.toISOString().slice(0, 10);
}

/** "setiembre" is also September. */
function setMonth(word: string): string {
  return word === 'setiembre' ? 'septiembre' : word;
}
