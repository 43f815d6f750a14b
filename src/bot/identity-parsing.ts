/**
 * Reading what an unknown customer gives to prove who they are: a cédula (`V-12345678`,
 * `12.345.678`, `12345678`) and a date of birth (`04/03/1985`, `4-3-85`, `1985-03-04`,
 * `4 de marzo de 1985`, `marzo 4 1985`, `4 marzo 85`, `14 de oct del 78`, `catorce de octubre del 78`).
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

/** Months as customers shorten them: "oct", "sept.", "set". */
const MONTH_ABBREVIATIONS: Readonly<Record<string, string>> = {
  ene: 'enero',
  feb: 'febrero',
  mar: 'marzo',
  abr: 'abril',
  may: 'mayo',
  jun: 'junio',
  jul: 'julio',
  ago: 'agosto',
  sep: 'septiembre',
  sept: 'septiembre',
  set: 'septiembre',
  setiembre: 'septiembre',
  oct: 'octubre',
  nov: 'noviembre',
  dic: 'diciembre',
};

/** The days of a month in words ("catorce", "veintiuno", "primero"), longest first so that "treinta y uno" is not read as "treinta". */
const DAY_WORDS: readonly [string, number][] = (
  [
    ['primero', 1],
    ['uno', 1],
    ['dos', 2],
    ['tres', 3],
    ['cuatro', 4],
    ['cinco', 5],
    ['seis', 6],
    ['siete', 7],
    ['ocho', 8],
    ['nueve', 9],
    ['diez', 10],
    ['once', 11],
    ['doce', 12],
    ['trece', 13],
    ['catorce', 14],
    ['quince', 15],
    ['dieciseis', 16],
    ['diecisiete', 17],
    ['dieciocho', 18],
    ['diecinueve', 19],
    ['veinte', 20],
    ['veintiuno', 21],
    ['veintiun', 21],
    ['veintidos', 22],
    ['veintitres', 23],
    ['veinticuatro', 24],
    ['veinticinco', 25],
    ['veintiseis', 26],
    ['veintisiete', 27],
    ['veintiocho', 28],
    ['veintinueve', 29],
    ['treinta', 30],
    ['treinta y uno', 31],
    ['treintiuno', 31],
  ] as [string, number][]
).sort((a, b) => b[0].length - a[0].length);

/** The text folded (no accents, lower case), its day words as digits and its short months written out. */
function foldedDate(text: string): string {
  let plain = text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase();
  for (const [word, day] of DAY_WORDS) plain = plain.replace(new RegExp(`\\b${word}\\b`, 'g'), String(day));
  return plain.replace(/\b([a-z]+)\.?(?=[\s,]|$)/g, (whole, word: string) => MONTH_ABBREVIATIONS[word] ?? whole);
}

/** A date as `YYYY-MM-DD`, or null when the text holds no valid one. Day first, as written in Venezuela. */
export function parseBirthDate(text: string, today = new Date()): string | null {
  const plain = foldedDate(text);
  let day: number, month: number, year: number;
  const iso = /(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})/.exec(plain);
  const numeric = /(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{2,4})/.exec(plain);
  const worded = /(\d{1,2})\s*(?:de\s+)?([a-z]+)\s*,?\s*(?:de(?:l)?\s+)?(\d{2,4})/.exec(plain);
  const monthFirst = /([a-z]+)\s+(\d{1,2})\s*,?\s*(?:de(?:l)?\s+)?(\d{2,4})/.exec(plain);
  if (iso) [year, month, day] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  else if (numeric) [day, month, year] = [Number(numeric[1]), Number(numeric[2]), Number(numeric[3])];
  else if (worded && MONTHS.includes(worded[2] as string)) {
    [day, month, year] = [Number(worded[1]), MONTHS.indexOf(worded[2] as string) + 1, Number(worded[3])];
  } else if (monthFirst && MONTHS.includes(monthFirst[1] as string)) {
    [day, month, year] = [Number(monthFirst[2]), MONTHS.indexOf(monthFirst[1] as string) + 1, Number(monthFirst[3])];
  } else return null;
  if (year < 100) year += year > today.getUTCFullYear() % 100 ? 1900 : 2000;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day || date > today) return null;
  return date.toISOString().slice(0, 10);
}
