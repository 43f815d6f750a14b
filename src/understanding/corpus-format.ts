import { z } from 'zod';

/**
 * The labelled messages the model learns from (src/understanding/corpus/train.jsonl) and is
 * measured against (test/corpus/heldout.jsonl): one JSON object per line, its intents in the order
 * asked, its entities as written (test/corpus/README.md).
 */
export const INTENT_LABELS = [
  'greeting',
  'balance',
  'next_instalment',
  'instalment_amount',
  'overdue',
  'payments',
  'loans',
  'how_to_pay',
  'payment_claim',
  'cannot_pay',
  'promise_to_pay',
  'agent',
  'thanks',
  'goodbye',
  'complaint',
  'opt_out',
  'out_of_scope',
  'menu',
] as const;
export type IntentLabel = (typeof INTENT_LABELS)[number];

const written = z.string().min(1);

/** An entity as the customer wrote it (`text`, a substring of the message) and what it means (`value`). */
export const corpusEntitySchema = z.discriminatedUnion('type', [
  // Only an absolute date with a year has a value: "17-5-90" → 1990-05-17; "el viernes" has none.
  z.strictObject({ type: z.literal('date'), text: written, value: z.iso.date().optional() }),
  z.strictObject({ type: z.literal('amount'), text: written, value: z.number().positive() }),
  z.strictObject({ type: z.literal('cedula'), text: written, value: z.string().regex(/^[VE]\d{6,9}$/, 'V or E and its digits') }),
  z.strictObject({ type: z.literal('reference'), text: written, value: z.string().regex(/^\d{4,}$/, 'its digits') }),
]);
export type CorpusEntity = z.infer<typeof corpusEntitySchema>;

export const corpusMessageSchema = z.strictObject({
  text: written.refine((text) => text.trim() === text, 'no leading or trailing spaces'),
  intents: z.array(z.enum(INTENT_LABELS)).min(1),
  entities: z.array(corpusEntitySchema),
});
export type CorpusMessage = z.infer<typeof corpusMessageSchema>;

/** A message and its line number in its file. */
export interface CorpusLine {
  line: number;
  message: CorpusMessage;
}

/** The lines of a JSON Lines text that parse and match the schema, and a problem (`train.jsonl:12: …`) for each that does not. */
export function parseCorpusLines(fileName: string, content: string): { lines: CorpusLine[]; problems: string[] } {
  const parsedLines: CorpusLine[] = [];
  const problems: string[] = [];
  if (!content.endsWith('\n')) problems.push(`${fileName}: the last line has no newline`);
  const lines = content.endsWith('\n') ? content.slice(0, -1).split('\n') : content.split('\n');
  lines.forEach((line, index) => {
    const where = `${fileName}:${index + 1}`;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (error) {
      problems.push(`${where}: not JSON (${(error as Error).message})`);
      return;
    }
    const parsed = corpusMessageSchema.safeParse(json);
    if (parsed.success) parsedLines.push({ line: index + 1, message: parsed.data });
    else problems.push(...parsed.error.issues.map((issue) => `${where}: ${issue.path.join('.') || 'line'}: ${issue.message}`));
  });
  return { lines: parsedLines, problems };
}
