import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  INTENT_LABELS,
  corpusEntitySchema,
  corpusMessageSchema,
  parseCorpusLines,
  type CorpusEntity,
  type CorpusLine,
  type CorpusMessage,
} from '../../src/understanding/corpus-format.js';
import { TRAINING_CORPUS_FILES } from '../../src/understanding/training-corpus.js';

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
