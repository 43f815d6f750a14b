import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseCorpusLines, type CorpusMessage } from './corpus-format.js';

/**
 * The training messages ship with the code, in src/understanding/corpus/: train.jsonl (the
 * corpus's training part), supplement.jsonl and supplement-2.jsonl (messages written later for
 * the model; the second for the intents it missed most, by a writer who never read the held-out
 * part; the third long, indirect messages by two writers who read no message of any part), and first-heldout.jsonl (the corpus's first held-out part, retired from measuring once
 * the writer of the supplement had seen it: test/corpus/README.md, "The second held-out part"). The server reads them when it first needs the model and trains in well under a second
 * (docs/decisions.md, "Where the bot's training corpus lives"). The paths are the same from src/understanding/ (tests,
 * tsx) and dist/understanding/ (the built server): two folders up is the package.
 */
export const TRAINING_CORPUS_FILES = {
  train: fileURLToPath(new URL('../../src/understanding/corpus/train.jsonl', import.meta.url)),
  supplement: fileURLToPath(new URL('../../src/understanding/corpus/supplement.jsonl', import.meta.url)),
  'supplement-2': fileURLToPath(new URL('../../src/understanding/corpus/supplement-2.jsonl', import.meta.url)),
  'supplement-3': fileURLToPath(new URL('../../src/understanding/corpus/supplement-3.jsonl', import.meta.url)),
  'supplement-4': fileURLToPath(new URL('../../src/understanding/corpus/supplement-4.jsonl', import.meta.url)),
  'first-heldout': fileURLToPath(new URL('../../src/understanding/corpus/first-heldout.jsonl', import.meta.url)),
} as const;

/** The training messages, the corpus's first; throws naming the line when one does not parse. */
export function readTrainingCorpus(files: readonly string[] = Object.values(TRAINING_CORPUS_FILES)): CorpusMessage[] {
  return files.flatMap((file) => {
    const name = file.slice(file.lastIndexOf('/') + 1);
    const { lines, problems } = parseCorpusLines(name, readFileSync(file, 'utf8'));
    if (problems.length > 0) throw new Error(`The bot's training corpus does not parse (${file}):\n${problems.join('\n')}`);
    return lines.map((l) => l.message);
  });
}
