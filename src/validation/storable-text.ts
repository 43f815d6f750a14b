import { z } from 'zod';
import { CharlaError } from '../errors/charla-error.js';

/** What a text column accepts. */
export interface TextRules {
  /** Fewest characters (after trimming); 1 refuses empty and blank text. Default 0. */
  min?: number;
  /** Most characters, counted as VARCHAR(n) counts them on PostgreSQL and MySQL (Unicode code points). */
  max: number;
  /** Trim surrounding white space first (the default); false for passwords, which are taken as typed. */
  trim?: boolean;
}

/** Code points of well-formed text: UTF-16 units less the second half of each surrogate pair. */
function characters(text: string): number {
  return text.length - (text.match(/[\uDC00-\uDFFF]/g)?.length ?? 0);
}

/**
 * Why `text` cannot be stored under `rules`, or null when it can. NUL: PostgreSQL refuses it in
 * text columns; unpaired UTF-16 surrogates: UTF-8 cannot encode them (they would be stored changed).
 */
export function textProblem(text: string, rules: TextRules): string | null {
  const min = rules.min ?? 0;
  if (text.includes('\u0000')) return 'must not contain the NUL character (\\u0000)';
  if (!text.isWellFormed()) return 'must not contain unpaired UTF-16 surrogates (a broken character)';
  const length = characters(text);
  if (length < min) return min === 1 ? 'must not be empty' : `must have at least ${min} characters (it has ${length})`;
  if (length > rules.max) return `must have at most ${rules.max} characters (it has ${length})`;
  return null;
}

/**
 * A text field that fits its column on every database: trimmed (unless `trim: false`), between
 * `min` and `max` characters, without NUL or unpaired surrogates. A request breaking a rule gets a
 * 400 naming the field and the rule. The OpenAPI description shows `minLength` / `maxLength`.
 */
export function storableText(rules: TextRules): z.ZodString {
  const base = rules.trim === false ? z.string() : z.string().trim();
  return base
    .superRefine((text, context) => {
      const problem = textProblem(text, rules);
      if (problem) context.addIssue({ code: 'custom', message: problem });
    })
    .meta({ ...(rules.min ? { minLength: rules.min } : {}), maxLength: rules.max });
}

/**
 * The same rules outside HTTP (the CLI, repositories): returns the text as stored (trimmed unless
 * `trim: false`), or throws CharlaError INPUT_INVALID naming `field`.
 */
export function requireStorableText(field: string, text: string, rules: TextRules): string {
  const value = rules.trim === false ? text : text.trim();
  const problem = textProblem(value, rules);
  if (problem) throw new CharlaError('INPUT_INVALID', `${field} ${problem}.`);
  return value;
}
