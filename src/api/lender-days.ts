import { cached, todayIn } from '../config/config.js';

/** A range of the lender's calendar days and where each begins, as UTC instants (what the database stores). */
export interface DayRange {
  /** `YYYY-MM-DD`, oldest first. */
  days: string[];
  /** `days.length + 1` instants: day i is `[starts[i], starts[i + 1])`. */
  starts: Date[];
}

const MINUTE = 60_000;
const partsFormats = new Map<string, Intl.DateTimeFormat>();

/** The lender's wall-clock time at `instant`, read as if it were UTC, minus `instant`: the zone's offset then. */
function offsetAt(zone: string, instant: number): number {
  const format = cached(
    partsFormats,
    zone,
    () =>
      new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      }),
  );
  const part = Object.fromEntries(format.formatToParts(new Date(instant)).map((p) => [p.type, p.value]));
  const wall = Date.UTC(
    Number(part.year),
    Number(part.month) - 1,
    Number(part.day),
    Number(part.hour),
    Number(part.minute),
    Number(part.second),
  );
  return wall - Math.floor(instant / 1000) * 1000;
}

/**
 * The first instant of the lender's day `day` (`YYYY-MM-DD`) in `zone`: its midnight, or the first
 * minute after it where a daylight-saving change skips midnight.
 */
export function startOfDay(zone: string, day: string): Date {
  const wallMidnight = Date.parse(`${day}T00:00:00Z`);
  let instant = wallMidnight - offsetAt(zone, wallMidnight);
  instant = wallMidnight - offsetAt(zone, instant);
  // Where midnight does not exist, or the second guess crossed a change: step to the day's first quarter hour.
  while (todayIn(zone, new Date(instant)) < day) instant += 15 * MINUTE;
  while (todayIn(zone, new Date(instant - 15 * MINUTE)) === day) instant -= 15 * MINUTE;
  return new Date(instant);
}

/** `YYYY-MM-DD` plus `n` calendar days. */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 24 * 60 * MINUTE).toISOString().slice(0, 10);
}

/** The last `count` days of the lender's calendar, today included. */
export function lastDays(zone: string, count: number, now = new Date()): DayRange {
  const today = todayIn(zone, now);
  const days = Array.from({ length: count }, (_, i) => addDays(today, i - count + 1));
  const starts = [...days, addDays(today, 1)].map((day) => startOfDay(zone, day));
  return { days, starts };
}

/** The index of the day `instant` falls in, or -1 outside the range. */
export function dayIndex(range: DayRange, instant: Date): number {
  const t = instant.getTime();
  const { starts } = range;
  if (!(t >= (starts[0] as Date).getTime()) || t >= (starts.at(-1) as Date).getTime()) return -1;
  let low = 0;
  let high = starts.length - 2;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if ((starts[middle] as Date).getTime() <= t) low = middle;
    else high = middle - 1;
  }
  return low;
}
