/**
 * The table of docs/configuration.md is rendered from the environment schema (src/config/config.ts:
 * each variable's `.describe()`, default and allowed values) and must match the page line by line.
 * After a deliberate change of the schema, rewrite the table with
 * `CHARLA_WRITE_DOCS=1 npx vitest run test/configuration-table.test.ts` (the prose around it is kept).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as prettier from 'prettier';
import { expect, it } from 'vitest';
import { z } from 'zod';
import { environmentSchema } from '../src/config/config.js';

const PAGE = path.resolve(import.meta.dirname, '../docs/configuration.md');
const COMMAND = 'CHARLA_WRITE_DOCS=1 npx vitest run test/configuration-table.test.ts';
/** The line above the table; the table is the run of `|` lines after it. */
const MARKER = `<!-- Generated from the schema in src/config/config.ts: edit it there, then run ${COMMAND} -->`;

/** What the JSON Schema of a variable says (zod's `toJSONSchema`, with the custom `allowed` meta). */
interface Variable {
  description?: string;
  default?: unknown;
  type?: string;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  format?: string;
  allowed?: string;
}

const code = (value: unknown): string => `\`${String(value)}\``;
const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');

function allowedValues(v: Variable): string {
  if (v.allowed !== undefined) return v.allowed;
  if (v.enum) return v.enum.map(code).join(', ');
  if (v.type === 'integer') return `an integer from ${code(v.minimum ?? '-∞')} to ${code(v.maximum ?? '∞')}`;
  if (v.format === 'uri') return 'a URL';
  return 'any text';
}

function variables(): [string, Variable][] {
  const schema = z.toJSONSchema(environmentSchema, { io: 'input' }) as { properties: Record<string, Variable> };
  return Object.entries(schema.properties);
}

/** The reference table as the schema describes it (prettier aligns it on the page). */
function renderTable(): string[] {
  return [
    '| variable | default | allowed values | meaning |',
    '| --- | --- | --- | --- |',
    ...variables().map(
      ([name, v]) =>
        `| ${[code(name), v.default === undefined ? '—' : code(v.default), allowedValues(v), v.description ?? ''].map(cell).join(' | ')} |`,
    ),
  ];
}

/** Where the table is: the `|` lines after the marker (and a blank line). */
function tableSpan(lines: readonly string[]): { start: number; end: number } {
  const marker = lines.indexOf(MARKER);
  if (marker < 0) throw new Error(`docs/configuration.md has lost the line "${MARKER}" above its table; put it back and run ${COMMAND}`);
  let start = marker + 1;
  while (lines[start]?.trim() === '') start++;
  let end = start;
  while (lines[end]?.startsWith('|')) end++;
  return { start, end };
}

function table(page: string): string[] {
  const lines = page.split('\n');
  const { start, end } = tableSpan(lines);
  return lines.slice(start, end);
}

/** The page with its table replaced by the schema's, formatted as `npx prettier --write` would. */
async function expectedPage(page: string): Promise<string> {
  const lines = page.split('\n');
  const { start, end } = tableSpan(lines);
  const replaced = [...lines.slice(0, start), ...renderTable(), ...lines.slice(end)].join('\n');
  const options = await prettier.resolveConfig(PAGE);
  return prettier.format(replaced, { ...options, filepath: PAGE });
}

it('describes every variable: a meaning for each, nothing left blank', () => {
  const undescribed = variables()
    .filter(([, v]) => !v.description?.trim())
    .map(([name]) => name);
  expect(undescribed, 'give these variables a .describe() in src/config/config.ts').toEqual([]);
});

it('docs/configuration.md shows the table the environment schema renders, line by line', async () => {
  const page = readFileSync(PAGE, 'utf8');
  const expected = await expectedPage(page);
  if (process.env.CHARLA_WRITE_DOCS === '1') writeFileSync(PAGE, expected);
  const documented = table(readFileSync(PAGE, 'utf8'));
  expect(
    documented,
    `docs/configuration.md's table is not what src/config/config.ts describes; after a deliberate change run ${COMMAND}`,
  ).toEqual(table(expected));
});
