import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import {
  INTENT_LABELS,
  corpusEntitySchema,
  corpusMessageSchema,
  parseCorpusLines,
  type CorpusEntity,
  type CorpusLine,
  type CorpusMessage,
} from '../../src/understanding/corpus-format.js';
import type { IntentPrediction } from '../../src/understanding/evaluation.js';
import { TRAINING_CORPUS_FILES } from '../../src/understanding/training-corpus.js';
import type { Understanding } from '../../src/understanding/understanding.js';

/**
 * The labelled corpus of what customers write to the bot (README.md beside this file): one JSON
 * object per line, its intents in the order asked, its entities as written. The training parts
 * ship with the model (src/understanding/corpus/); heldout.jsonl, here, is only ever measured
 * against. The format is src/understanding/corpus-format.ts.
 */
export const CORPUS_INTENTS = INTENT_LABELS;
export type CorpusIntent = (typeof CORPUS_INTENTS)[number];
export { corpusEntitySchema, corpusMessageSchema, type CorpusEntity, type CorpusLine, type CorpusMessage };

/**
 * `train`, `first-heldout` and `heldout` are the corpus as written for issue 13 (its balance rules
 * count them); `first-heldout` was the first held-out part, now training (README.md, "The second
 * held-out part"); `supplement` to `supplement-4` hold training messages written
 * later for the model (README.md, "The supplement").
 */
export const CORPUS_PARTS = ['train', 'heldout', 'supplement', 'supplement-2', 'supplement-3', 'supplement-4', 'first-heldout'] as const;
export type CorpusPart = (typeof CORPUS_PARTS)[number];

/** The file of a part of the corpus. */
export const corpusFile = (part: CorpusPart): string =>
  part === 'heldout' ? path.join(import.meta.dirname, 'heldout.jsonl') : TRAINING_CORPUS_FILES[part];

/** A part's JSON Lines as stored. */
export const readCorpusText = (part: CorpusPart): string => readFileSync(corpusFile(part), 'utf8');

/** A part's lines that parse and match the schema, and a problem (`train.jsonl:12: …`) for each that does not. */
export const parseCorpus = (part: CorpusPart, content: string): { lines: CorpusLine[]; problems: string[] } =>
  parseCorpusLines(`${part}.jsonl`, content);

/** One part's messages; throws when a line does not parse (corpus.test.ts checks every rule). */
export function readCorpus(part: CorpusPart): CorpusMessage[] {
  const { lines, problems } = parseCorpus(part, readCorpusText(part));
  if (problems.length > 0) throw new Error(`${part}.jsonl does not parse:\n${problems.join('\n')}`);
  return lines.map((l) => l.message);
}

/**
 * The held-out messages as a second reader labelled them, beside the corpus's labels
 * (agreement/second-reading.jsonl, README.md "How far two readers agree"): `expected` is the
 * corpus's reading, `got` the second reader's. Throws when a line does not match the held-out
 * message it names.
 */
export function readSecondReading(): { text: string; expected: CorpusIntent[]; got: CorpusIntent[]; doubt: string | null }[] {
  const heldout = readCorpus('heldout');
  const file = path.join(import.meta.dirname, 'agreement', 'second-reading.jsonl');
  const lineSchema = z.object({
    line: z.number().int().positive(),
    text: z.string(),
    intents: z.array(z.enum(CORPUS_INTENTS)).min(1),
    reader: z.number().int(),
    doubt: z.string().optional(),
  });
  const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
  if (lines.length !== heldout.length) throw new Error(`${file} has ${lines.length} lines, the held-out part ${heldout.length} messages.`);
  return lines.map((raw, index) => {
    const reading = lineSchema.parse(JSON.parse(raw));
    const message = heldout[index];
    if (reading.line !== index + 1 || message?.text !== reading.text)
      throw new Error(
        `${file}:${index + 1} is not held-out message ${index + 1}: the held-out part changed; label the changed messages again.`,
      );
    return { text: message.text, expected: message.intents, got: reading.intents, doubt: reading.doubt ?? null };
  });
}

/** The day the held-out part is read on: fixed, so that "el viernes" in it always means the same day. */
export const HELDOUT_TODAY = new Date(2025, 4, 20);

/** What an understanding makes of each held-out message, beside its labels (`npm run eval:bot`, heldout.test.ts). */
export function heldoutPredictions(understanding: Pick<Understanding, 'understand'>): IntentPrediction[] {
  return readCorpus('heldout').map((m) => ({
    text: m.text,
    expected: m.intents,
    got: understanding.understand(m.text, { today: HELDOUT_TODAY }).intents,
  }));
}
