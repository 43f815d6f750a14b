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

/** A broken rule, in English for the operator and in Spanish for the agent (`detalle`). */
interface TextProblem {
  message: string;
  detalle: string;
}

/**
 * Why `text` cannot be stored under `rules`, or null when it can. NUL: PostgreSQL refuses it in
 * text columns; unpaired UTF-16 surrogates: UTF-8 cannot encode them (they would be stored changed).
 */
function problemOf(text: string, rules: TextRules): TextProblem | null {
  const min = rules.min ?? 0;
  if (text.includes('\u0000'))
    return { message: 'must not contain the NUL character (\\u0000)', detalle: 'no puede contener el carácter NUL (\\u0000)' };
  if (!text.isWellFormed())
    return {
      message: 'must not contain unpaired UTF-16 surrogates (a broken character)',
      detalle: 'no puede contener caracteres rotos (sustitutos UTF-16 sin pareja)',
    };
  const length = characters(text);
  if (length < min)
    return min === 1
      ? { message: 'must not be empty', detalle: 'no puede estar vacío' }
      : {
          message: `must have at least ${min} characters (it has ${length})`,
          detalle: `debe tener al menos ${min} caracteres (tiene ${length})`,
        };
  if (length > rules.max)
    return {
      message: `must have at most ${rules.max} characters (it has ${length})`,
      detalle: `debe tener como máximo ${rules.max} caracteres (tiene ${length})`,
    };
  return null;
}

/** Why `text` cannot be stored under `rules` (English), or null when it can. */
export function textProblem(text: string, rules: TextRules): string | null {
  return problemOf(text, rules)?.message ?? null;
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
      const problem = problemOf(text, rules);
      // The Spanish rule rides in the issue's params: the error handler's `detail` (src/http/validation-detail.ts).
      if (problem) context.addIssue({ code: 'custom', message: problem.message, params: { detalle: problem.detalle } });
    })
    .meta({ ...(rules.min ? { minLength: rules.min } : {}), maxLength: rules.max });
}

/**
 * The same rules outside HTTP (the CLI, repositories): returns the text as stored (trimmed unless
 * `trim: false`), or throws CharlaError INPUT_INVALID naming `field`.
 */
export function requireStorableText(field: string, text: string, rules: TextRules): string {
  const value = rules.trim === false ? text : text.trim();
  const problem = problemOf(value, rules);
  if (problem) throw new CharlaError('INPUT_INVALID', `${field} ${problem.message}.`, { detalle: `El campo ${field} ${problem.detalle}.` });
  return value;
}
