import * as chronoEs from 'chrono-node/es';
import type { Parser, ParsingContext } from 'chrono-node';
import type { FoundEntity } from './entity.js';

/**
 * Dates as customers write them, with chrono-node's Spanish parser ("17/05/1990", "17-5-90", "el 3
 * de abril de 1978", "el viernes", "mañana", "ayer", "hoy") taught what it lacks: "mayo 17 1990",
 * the day of the month alone ("el 15", "el 1ro", "el quince"), "fin de mes", "principios de mes",
 * "la quincena", "esta semana", "la semana que viene", "el fin de semana", "pasado mañana".
 * A date is a day or a few days: its "el" or "la" is part of it, the time of day is not ("mañana
 * [en la tarde]"), and whole months, times alone ("feliz noche"), durations ("una semana") and
 * "ahora" are no dates. Its value is the ISO date only when a year is written.
 */

const MONTHS = 'enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre'.split(' ');
const MONTH = `(${MONTHS.join('|')}|setiembre)`;

/** The days of the month in words, 1 to 31 ("uno" and "primero" are both the first). */
const DAY_WORDS: ReadonlyMap<string, number> = new Map(
  (
    'uno|primero dos tres cuatro cinco seis siete ocho nueve diez once doce trece catorce quince dieciseis diecisiete ' +
    'dieciocho diecinueve veinte veintiuno veintidos veintitres veinticuatro veinticinco veintiseis veintisiete ' +
    'veintiocho veintinueve treinta treinta_y_uno'
  )
    .split(' ')
    .flatMap((words, index) => words.split('|').map((word) => [word.replaceAll('_', ' '), index + 1] as const)),
);
/** Any of them, accents or not ("dieciséis"), longest first. */
const DAY_WORD = `(${[...DAY_WORDS.keys()]
  .sort((a, b) => b.length - a.length)
  .map((word) => word.replace(/[aeiou]/g, (vowel) => `[${vowel}${'áéíóú'['aeiou'.indexOf(vowel)]}]`))
  .join('|')})`;

const fold = (text: string): string => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

/** A chrono parser from a pattern (on the text as written) and what a match means. */
function parser(pattern: RegExp, extract: (match: RegExpMatchArray, context: ParsingContext) => Record<string, number> | null): Parser {
  return {
    pattern: () => pattern,
    extract: (context, match) => {
      const components = extract(match, context);
      return components ? context.createParsingComponents(components).addTag('charla/date') : null;
    },
  };
}

const reference = (context: ParsingContext): Date => context.reference.instant;
const plusDays = (date: Date, days: number) => {
  const next = new Date(date);
  next.setDate(next.getDate() + days);
  return { year: next.getFullYear(), month: next.getMonth() + 1, day: next.getDate() };
};
const thisMonth = (context: ParsingContext, day: number) => ({
  year: reference(context).getFullYear(),
  month: reference(context).getMonth() + 1,
  day,
});

/** Not a day of the month: what follows makes the number an amount, a count or a part of another date. */
const NOT_A_DAY = String.raw`(?!\s*(?:[$%]|\d|[.,/-]\d|(?:dolares|dólares|bs|bolivares|bolívares|mil|verdes|usd|cuotas?|d[ií]as|horas?|meses|a[nñ]os|semanas)\b))`;

const CHARLA_PARSERS: Parser[] = [
  // "mayo 17 1990", "mayo 17"
  parser(
    new RegExp(String.raw`(?<![\p{L}\d])${MONTH}\s+(\d{1,2})(?:\s*,?\s*(?:de(?:l)?\s+)?((?:19|20)\d{2}))?(?![\d\p{L}])`, 'iu'),
    (m): Record<string, number> | null => {
      const month = fold(m[1] as string) === 'setiembre' ? 9 : MONTHS.indexOf(fold(m[1] as string)) + 1;
      const day = Number(m[2]);
      if (day < 1 || day > 31) return null;
      return m[3] ? { year: Number(m[3]), month, day } : { month, day };
    },
  ),
  // "el 15", "el dia 30", "el 1ro", "el 20 de este mes"
  parser(
    new RegExp(
      String.raw`(?<![\p{L}\d])el\s+(?:d[ií]a\s+)?(\d{1,2})(?:ro|ero|do|to|vo|mo|no|°|º)?${NOT_A_DAY}(?:\s+(?:de\s+este\s+mes|del\s+mes(?:\s+que\s+viene)?|del\s+pr[oó]ximo\s+mes))?(?![\d\p{L}])`,
      'iu',
    ),
    (m, context) => {
      const day = Number(m[1]);
      return day >= 1 && day <= 31 ? thisMonth(context, day) : null;
    },
  ),
  // "el quince", "el primero"
  parser(new RegExp(String.raw`(?<![\p{L}\d])el\s+(?:d[ií]a\s+)?${DAY_WORD}(?![\p{L}\d])`, 'iu'), (m, context) => {
    const day = DAY_WORDS.get(fold(m[1] as string));
    return day ? thisMonth(context, day) : null;
  }),
  // "fin de mes", "finales de mes", "principios de mes", "inicio de mes"
  parser(/(?<![\p{L}\d])(?:fin|finale?s?|principios?|inicios?|comienzos?)\s+de(?:l)?\s+mes(?![\p{L}\d])/iu, (m, context) => {
    const end = /^fin/i.test(m[0]);
    const now = reference(context);
    return end ? thisMonth(context, new Date(now.getFullYear(), now.getMonth() + 1, 0).getDate()) : thisMonth(context, 1);
  }),
  // "la quincena", "la próxima quincena", "esta quincena"
  parser(/(?<![\p{L}\d])(?:la\s+(?:pr[oó]xima\s+|otra\s+)?|esta\s+)quincena(?![\p{L}\d])/iu, (m, context) => {
    const day =
      reference(context).getDate() <= 15 ? 15 : new Date(reference(context).getFullYear(), reference(context).getMonth() + 1, 0).getDate();
    return thisMonth(context, day);
  }),
  // "esta semana", "la próxima semana", "la semana que viene", "la otra semana", "la semana pasada"
  parser(
    /(?<![\p{L}\d])(?:esta\s+semana|la\s+(?:pr[oó]xima|otra)\s+semana|la\s+semana\s+(?:que\s+viene|entrante|pr[oó]xima|pasada))(?![\p{L}\d])/iu,
    (m, context) => plusDays(reference(context), /pr[oó]xima|otra|viene|entrante/i.test(m[0]) ? 7 : /pasada/i.test(m[0]) ? -7 : 0),
  ),
  // "el fin de semana", "este fin de semana", "el próximo fin de semana"
  parser(/(?<![\p{L}\d])(?:el|este)\s+(?:pr[oó]ximo\s+)?fin\s+de\s+semana(?![\p{L}\d])/iu, (m, context) => {
    const now = reference(context);
    return plusDays(now, ((6 - now.getDay() + 7) % 7) + (/pr[oó]ximo/i.test(m[0]) ? 7 : 0));
  }),
  // "pasado mañana"
  parser(/(?<![\p{L}\d])pasado\s+ma[nñ]ana(?![\p{L}\d])/iu, (_, context) => plusDays(reference(context), 2)),
];

const spanish = chronoEs.casual.clone();
spanish.parsers.push(...CHARLA_PARSERS);

/** Chrono's references to a moment of the day, which are dates only as "esta mañana", "esta noche". */
const TIME_OF_DAY = /casualReference\/(morning|afternoon|evening|noon|midnight)/;
/** What chrono reads after a date that is the time of day, not the day. */
const TIME_TAIL = /\s+(?:en\s+la|por\s+la|a\s+las?|de\s+la|temprano|tempranito|en\s+horas?)\b.*$/isu;
/** A year written in a date's text: a date with it has a value. */
const HAS_YEAR = /\b(?:19|20)\d{2}\b|\d{1,2}[/-]\d{1,2}[/-]\d{2,4}/;

/** The dates of a text, in the order written. `today` is what "mañana" and "el viernes" count from. */
export function findDates(text: string, today: Date = new Date()): FoundEntity[] {
  const found: FoundEntity[] = [];
  for (const result of spanish.parse(text, today, { forwardDate: true })) {
    const tags = [...result.tags()].join(' ');
    const start = result.start;
    const isDay =
      start.isCertain('day') || start.isCertain('weekday') || /charla\/date|casualReference\/(today|tomorrow|yesterday)/.test(tags);
    let from = result.index;
    let written = result.text.replace(/[\s,.;:!?)]+$/u, '');
    if (!isDay && !(TIME_OF_DAY.test(tags) && /^est[ae]\s/i.test(written))) continue;
    // "ahora" is a moment; "una semana", "3 dias" are durations, unless counted from now ("en 3 dias").
    if (/casualReference\/now/.test(tags) || (/result\/relativeDate/.test(tags) && !/^en\s/i.test(written))) continue;
    written = written.replace(TIME_TAIL, '');
    if (/^(?:la\s+)?(?:medianoche|mediod[ií]a|noche|tarde|madrugada)$/i.test(written)) continue;
    // "a las 6 de la mañana": the morning, not tomorrow.
    if (/^ma[nñ]ana$/i.test(written) && /(?:de|por|en|a)\s+la\s+$/i.test(text.slice(0, from))) continue;
    // "28 de mayo de 40$": the year was an amount.
    const amountAfter = /\s+de\s+\d{1,2}$/.exec(written);
    if (amountAfter && /^\s*(?:\$|d[oó]lares|bs|verdes)/i.test(text.slice(from + written.length))) {
      written = written.slice(0, amountAfter.index);
    }
    const article = /(?<![\p{L}\d])(?:el|la|esta|este)\s+$/iu.exec(text.slice(0, from));
    if (article && !/^(?:el|la|esta|este)\s/i.test(written)) {
      written = text.slice(article.index, from) + written;
      from = article.index;
    }
    const day = isoDate(result.start.get('year'), result.start.get('month'), result.start.get('day'));
    const value = HAS_YEAR.test(written) ? day : undefined;
    found.push({
      type: 'date',
      text: written,
      start: from,
      end: from + written.length,
      ...(value ? { value } : {}),
      ...(day ? { day } : {}),
    });
  }
  return found;
}

function isoDate(year: number | null, month: number | null, day: number | null): string | undefined {
  if (year === null || month === null || day === null) return undefined;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
