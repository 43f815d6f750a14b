/** The kinds of entity a customer writes (test/corpus/README.md says what each covers). */
export const ENTITY_TYPES = ['date', 'amount', 'cedula', 'reference'] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

/**
 * An entity found in a message: its text exactly as written (`text.slice(start, end)`), and what it
 * means: an ISO date (only when a year is written), an amount's number, a cédula as `V12345678`, a
 * reference's digits.
 */
export type FoundEntity =
  | {
      type: 'date';
      text: string;
      start: number;
      end: number;
      value?: string;
      /** The day it names, counted from the lender's today when no year is written ("el viernes" → the coming Friday). */
      day?: string;
    }
  | { type: 'amount'; text: string; start: number; end: number; value: number }
  | { type: 'cedula' | 'reference'; text: string; start: number; end: number; value: string };
