import { cached } from '../config/config.js';
/** Amounts are handled in cents: NUMERIC(…, 2) values from the database are exact strings. */
export function toCents(value: string | number | null | undefined): number {
  if (value === null || value === undefined || value === '') return 0;
  return Math.round(Number(value) * 100);
}

/** `Bs. 1.234,50` or `$1,234.50`, as the configured locale and currency write it. */
export function formatMoney(cents: number, locale: string, currency: string): string {
  return cached(moneyFormats, `${locale}|${currency}`, () => new Intl.NumberFormat(locale, { style: 'currency', currency })).format(
    cents / 100,
  );
}

const moneyFormats = new Map<string, Intl.NumberFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** `4 de marzo de 2026` in Spanish locales. */
export function formatDate(isoDate: string, locale: string): string {
  return cached(
    dateFormats,
    locale,
    () => new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }),
  ).format(new Date(`${isoDate}T00:00:00Z`));
}
