import { findAmounts } from './amounts.js';
import { findDates } from './dates.js';
import type { FoundEntity } from './entity.js';
import { findCedulas, findLongNumbers, findReferences } from './identifiers.js';

/**
 * Every date, amount, cédula and reference of a message, in the order written. Where two readings
 * overlap the more certain wins, in this order: amounts (they carry a currency), cédulas,
 * references named as such, dates, then any other long number as a reference.
 */
export function findEntities(text: string, today: Date = new Date()): FoundEntity[] {
  const taken: FoundEntity[] = [];
  const finders = [findAmounts, findCedulas, findReferences, (t: string) => findDates(t, today), findLongNumbers];
  for (const find of finders) {
    for (const entity of find(text)) {
      if (!taken.some((other) => entity.start < other.end && other.start < entity.end)) taken.push(entity);
    }
  }
  return taken.sort((a, b) => a.start - b.start);
}
