/**
 * The text of message templates and canned replies: no imports, so the web front end can use it too.
 *
 * - Meta's templates number their variables `{{1}}`, `{{2}}`… in the BODY component; a send gives
 *   one parameter per variable, in that order.
 * - Canned replies name theirs: `{nombre}`, `{saldo}`, `{proxima_cuota}`, `{fecha_proxima}`.
 */

/** A variable of a template's text: `{{1}}` (or a named one, `{{nombre}}`). */
const TEMPLATE_VARIABLE = /\{\{\s*([\p{L}\p{N}_]+)\s*\}\}/gu;

/** A canned reply's placeholder: `{nombre}`; `{{1}}` is not one. */
const PLACEHOLDER = /(?<!\{)\{([a-z_]+)\}(?!\})/g;

/** What canned replies may name. */
export const PLACEHOLDERS = ['nombre', 'saldo', 'proxima_cuota', 'fecha_proxima'] as const;
export type PlaceholderData = Partial<Record<(typeof PLACEHOLDERS)[number], string | null>>;

/**
 * `text` with each `{name}` replaced by `data[name]`. A placeholder whose value is unknown (null,
 * missing) stays as written, so the agent sees what to fill in before sending.
 */
export function fillPlaceholders(text: string, data: Readonly<Record<string, string | null | undefined>>): string {
  return text.replace(PLACEHOLDER, (whole, name: string) => {
    const value = Object.hasOwn(data, name) ? data[name] : undefined;
    return value === null || value === undefined ? whole : value;
  });
}

/** One of a template's components, as far as Charla reads it. */
interface Component {
  type?: unknown;
  text?: unknown;
  example?: { body_text?: unknown };
}

function components(componentes: string | readonly unknown[]): Component[] {
  let list: unknown = componentes;
  if (typeof componentes === 'string') {
    try {
      list = JSON.parse(componentes);
    } catch {
      return [];
    }
  }
  return Array.isArray(list) ? list.filter((c): c is Component => typeof c === 'object' && c !== null) : [];
}

function bodyComponent(componentes: string | readonly unknown[]): Component | undefined {
  return components(componentes).find((c) => typeof c.type === 'string' && c.type.toUpperCase() === 'BODY');
}

/** The BODY text of a template (null: it has none). */
export function templateBody(componentes: string | readonly unknown[]): string | null {
  const text = bodyComponent(componentes)?.text;
  return typeof text === 'string' ? text : null;
}

/** The distinct variables of a template text, in the order they are filled (`{{1}}`, `{{2}}`… by number). */
export function templateVariables(text: string | null): string[] {
  if (text === null) return [];
  const names = [...new Set([...text.matchAll(TEMPLATE_VARIABLE)].map((m) => m[1] as string))];
  return names.every((n) => /^\d+$/.test(n)) ? names.sort((a, b) => Number(a) - Number(b)) : names;
}

/** The text with its variables replaced by `values`, in `templateVariables` order; missing values leave the variable. */
export function renderTemplate(text: string, values: readonly string[]): string {
  const order = templateVariables(text);
  return text.replace(TEMPLATE_VARIABLE, (whole, name: string) => values[order.indexOf(name)] ?? whole);
}

/** The example values Meta keeps for the body (`example.body_text[0]`), or none. */
export function templateExample(componentes: string | readonly unknown[]): string[] {
  const examples = bodyComponent(componentes)?.example?.body_text;
  const first: unknown = Array.isArray(examples) ? examples[0] : undefined;
  return Array.isArray(first) ? first.map((v) => String(v)) : [];
}

/** A customer's first name as the bot greets them: `ANA maría pérez` → `Ana`. */
export function givenName(fullName: string): string {
  const first = fullName.trim().split(/\s+/)[0] ?? '';
  return first.charAt(0).toUpperCase() + first.slice(1).toLowerCase();
}
