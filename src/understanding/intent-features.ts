import { SentimentEs, StemmerEs } from '@nlpjs/lang-es';
import { CONCEPTS } from './concepts.js';
import { SpellingCorrector } from './spelling.js';
import { normalisedWords, type Word } from './text-normalisation.js';

/**
 * What the classifier sees of a message: its words (normalised, typos corrected), their stems
 * (NLP.js's Spanish stemmer: "atrasadas" and "atraso" share "atras"), pairs of consecutive words
 * ("ya pague", "no puedo"), the words' polarity (negative, positive: NLP.js's Spanish sentiment
 * lexicon), the word families of concepts.ts present, and the kinds of entity
 * written (a date, an amount, a reference, a cédula). Every feature is anchored at a word, so that
 * the model can also say where in the message an intent was asked.
 */

/** A feature and the index of the word it starts at. */
export interface AnchoredFeature {
  name: string;
  word: number;
}

const stemmer = new StemmerEs();
/** NLP.js's Spanish polarity lexicon (ML-SentiCon), by stem: "robo", "pesimo", "fastidio" are negative. */
const POLARITY: Readonly<Record<string, number>> = SentimentEs.senticon;

interface CompiledConcept {
  name: string;
  phrase: string[];
}

/** Each concept's phrases as normalised words, longest first. */
const COMPILED_CONCEPTS: CompiledConcept[] = Object.entries(CONCEPTS)
  .flatMap(([name, phrases]) => phrases.map((phrase) => ({ name, phrase: normalisedWords(phrase).map((w) => w.word) })))
  .sort((a, b) => b.phrase.length - a.phrase.length);

/** Where in COMPILED_CONCEPTS the phrases starting with each word are, in its order. */
const CONCEPTS_BY_FIRST_WORD: ReadonlyMap<string, number[]> = COMPILED_CONCEPTS.reduce((byWord, concept, at) => {
  const first = concept.phrase[0] as string;
  byWord.set(first, [...(byWord.get(first) ?? []), at]);
  return byWord;
}, new Map<string, number[]>());

/** The words the concepts name: known to the spelling correction even when the corpus lacks them. */
export const CONCEPT_WORDS: readonly string[] = [...new Set(COMPILED_CONCEPTS.flatMap((c) => c.phrase))].sort();

/** A number as the classifier reads it: its digits do not matter, its shape does. */
function numberShape(word: string): string {
  if (/^\d{5,}$/.test(word)) return '#long';
  if (/^\d+$/.test(word)) return '#';
  return '#mixed';
}

/** The words of a message as the classifier reads them. */
export function classifierWords(text: string, spelling: SpellingCorrector | null): Word[] {
  return normalisedWords(text).map(({ word, at }) => ({
    word: /\d/.test(word) ? numberShape(word) : (spelling?.correct(word) ?? word),
    at,
  }));
}

/** The features of a message's words, each anchored at the word it starts at; `questions` are where question marks were written. */
export function anchoredFeatures(
  words: readonly Word[],
  entities: readonly { type: string; start: number }[] = [],
  questions: readonly number[] = [],
): AnchoredFeature[] {
  const list = words.map((w) => w.word);
  const features: AnchoredFeature[] = [];
  list.forEach((word, index) => {
    features.push({ name: `w:${word}`, word: index });
    if (!word.startsWith('#')) {
      const stem = stemmer.stemWord(word);
      features.push({ name: `s:${stem}`, word: index });
      const polarity = POLARITY[stem] ?? 0;
      if (polarity <= -0.25) features.push({ name: 'p:negative', word: index });
      else if (polarity >= 0.5) features.push({ name: 'p:positive', word: index });
    }
    const next = list[index + 1];
    if (next !== undefined) features.push({ name: `b:${word}_${next}`, word: index });
  });
  // Longest phrases first, each word to one phrase: "dios le pague" is thanks, not a payment. Only
  // the phrases starting with a word of the message are tried, in that same order.
  const claimed = new Array<boolean>(list.length).fill(false);
  const candidates: { at: number; start: number }[] = [];
  list.forEach((word, start) => {
    for (const at of CONCEPTS_BY_FIRST_WORD.get(word) ?? []) candidates.push({ at, start });
  });
  candidates.sort((a, b) => a.at - b.at || a.start - b.start);
  for (const { at, start } of candidates) {
    const concept = COMPILED_CONCEPTS[at] as CompiledConcept;
    if (!concept.phrase.every((w, i) => list[start + i] === w && !claimed[start + i])) continue;
    concept.phrase.forEach((_, i) => (claimed[start + i] = true));
    features.push({ name: `c:${concept.name}`, word: start });
  }
  // No word of the lender's world at all: weather, baseball, recipes.
  if (list.length > 0 && !features.some((f) => f.name.startsWith('c:') && f.name !== 'c:elsewhere'))
    features.push({ name: 'c:none', word: 0 });
  // A question mark after a word: "estoy atrasado?" asks, "ya se que estoy atrasado" does not.
  for (const at of questions) {
    const before = words.findLastIndex((w) => w.at < at);
    if (before >= 0) features.push({ name: 'q:?', word: before }, { name: `q:${list[before]}`, word: before });
  }
  for (const entity of entities) {
    const index = words.findIndex((w) => w.at >= entity.start);
    features.push({ name: `e:${entity.type}`, word: index < 0 ? Math.max(list.length - 1, 0) : index });
  }
  return features;
}

/** Features as the network's input: each present feature once, valued 1. */
export function featureInput(features: readonly AnchoredFeature[]): Record<string, number> {
  const input: Record<string, number> = {};
  for (const feature of features) input[feature.name] = 1;
  return input;
}
