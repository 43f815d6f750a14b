import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NeuralJson } from '@nlpjs/neural';
import type { CorpusMessage } from './corpus-format.js';
import { readTrainingCorpus } from './training-corpus.js';
import { MODEL_OPTIONS, Understanding } from './understanding.js';

/**
 * The understanding the bot uses, trained from the shipped corpus. Training takes a few seconds
 * (docs/bot.md), so `npm run build` trains once and writes the weights beside the compiled code
 * (dist/understanding/model.json, scripts/train-model.mjs); a process loads them in a fraction of
 * that. The file says what it was trained from — a fingerprint of the training messages, the
 * settings and this folder's code — and weights whose fingerprint differs from the running code's
 * are not used: the process trains instead (the same corpus always gives the same weights).
 */

const HERE = path.dirname(fileURLToPath(import.meta.url));
/** Where the build keeps the weights: beside this module (dist/understanding/ once compiled). */
export const SHIPPED_MODEL_FILE = path.join(HERE, 'model.json');

interface StoredModel {
  fingerprint: string;
  weights: NeuralJson;
}

/** How the understanding came to be: loaded from the build's weights, or trained now (and how long it took). */
export interface ShippedUnderstanding {
  understanding: Understanding;
  source: 'built' | 'trained';
  ms: number;
}

/** The code of this folder (the compiled .js, or the .ts under tsx), in a fixed order. */
function codeFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true })
    .flatMap((entry) => {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) return codeFiles(full);
      return /\.(?:js|ts)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [full] : [];
    })
    .sort();
}

/** What the weights depend on: the settings, every training message, and the understanding's own code. */
export function modelFingerprint(messages: readonly CorpusMessage[] = readTrainingCorpus()): string {
  const hash = createHash('sha256').update(JSON.stringify(MODEL_OPTIONS)).update(JSON.stringify(messages));
  for (const file of codeFiles(HERE)) hash.update(path.relative(HERE, file)).update(readFileSync(file));
  return hash.digest('hex');
}

let shipped: ShippedUnderstanding | undefined;

/** The understanding, once per process: the build's weights when they match this code, trained otherwise. */
export function shippedUnderstanding(): ShippedUnderstanding {
  shipped ??= loadUnderstanding(SHIPPED_MODEL_FILE);
  return shipped;
}

/** The understanding from the weights in `file` when their fingerprint is this code's; trained from the corpus otherwise. */
export function loadUnderstanding(file: string): ShippedUnderstanding {
  const started = performance.now();
  const messages = readTrainingCorpus();
  const stored = readStoredModel(file);
  const current = stored?.fingerprint === modelFingerprint(messages);
  const understanding = current ? Understanding.fromJSON(stored.weights, messages) : Understanding.train(messages);
  return { understanding, source: current ? 'built' : 'trained', ms: Math.round(performance.now() - started) };
}

/** Whether `file` holds weights trained from this corpus, with these settings and this code. */
export function storedModelIsCurrent(file: string = SHIPPED_MODEL_FILE): boolean {
  return readStoredModel(file)?.fingerprint === modelFingerprint();
}

function readStoredModel(file: string): StoredModel | null {
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as StoredModel;
  } catch {
    return null;
  }
}

/** Trains from the shipped corpus and writes the weights with their fingerprint (run by `npm run build`). */
export function writeShippedModel(file: string = SHIPPED_MODEL_FILE): { file: string; ms: number; messages: number } {
  const started = performance.now();
  const messages = readTrainingCorpus();
  const stored: StoredModel = { fingerprint: modelFingerprint(messages), weights: Understanding.train(messages).toJSON() };
  writeFileSync(file, JSON.stringify(stored));
  return { file, ms: Math.round(performance.now() - started), messages: messages.length };
}
