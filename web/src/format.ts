/** Dates, times and numbers as the agents read them (Spanish, the lender's time zone). */
import { environment } from './session.js';

const zone = (): string | undefined => environment.value?.zona_horaria;

export function time(iso: string): string {
  return new Intl.DateTimeFormat('es', { hour: '2-digit', minute: '2-digit', timeZone: zone() }).format(new Date(iso));
}

export function dayKey(iso: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: zone() }).format(new Date(iso));
}

export function dayLabel(iso: string, now = new Date()): string {
  const key = dayKey(iso);
  if (key === dayKey(now.toISOString())) return 'Hoy';
  if (key === dayKey(new Date(now.getTime() - 86_400_000).toISOString())) return 'Ayer';
  return new Intl.DateTimeFormat('es', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: zone() }).format(
    new Date(iso),
  );
}

/** "14:05" today, "ayer", "lun 3" within a week, "3/11/26" before. */
export function shortWhen(iso: string, now = new Date()): string {
  const date = new Date(iso);
  const key = dayKey(iso);
  if (key === dayKey(now.toISOString())) return time(iso);
  if (key === dayKey(new Date(now.getTime() - 86_400_000).toISOString())) return 'ayer';
  if (now.getTime() - date.getTime() < 6 * 86_400_000)
    return new Intl.DateTimeFormat('es', { weekday: 'short', day: 'numeric', timeZone: zone() }).format(date);
  return new Intl.DateTimeFormat('es', { day: 'numeric', month: 'numeric', year: '2-digit', timeZone: zone() }).format(date);
}

/** "3 h 20 min", "12 min", "menos de 1 min". */
export function duration(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return 'menos de 1 min';
  const hours = Math.floor(minutes / 60);
  return hours > 0 ? `${hours} h ${minutes % 60} min` : `${minutes} min`;
}

/** "4 mar 2026" from a date (YYYY-MM-DD, read as that calendar day) or an instant (in the lender's zone). */
export function longDate(text: string): string {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(text);
  return new Intl.DateTimeFormat('es', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: dateOnly ? 'UTC' : zone(),
  }).format(new Date(dateOnly ? `${text}T00:00:00Z` : text));
}

export function phone(number: string): string {
  return number.startsWith('+') ? number : `+${number}`;
}
