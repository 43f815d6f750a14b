import { NeuralNetwork, type NeuralExample, type NeuralJson, type NeuralSettings } from '@nlpjs/neural';
import { findEntities } from './entities/entities.js';
import { anchoredFeatures, classifierWords, CONCEPT_WORDS, featureInput, type AnchoredFeature } from './intent-features.js';
import { SpellingCorrector } from './spelling.js';
import { normalisedWords, type Word } from './text-normalisation.js';

/** A labelled message to learn from: its intents in the order asked. */
export interface IntentExample {
  text: string;
  intents: readonly string[];
}

/** Where an entity of a kind starts in the text. */
export interface EntityStart {
  type: string;
  start: number;
}

export interface IntentModelOptions {
  /** An intent is understood when its activation reaches this (0 to about 1). */
  threshold: number;
  /** When no intent reaches `threshold`, the likeliest is still understood from this activation. */
  fallback?: number;
  /** An intent is also understood when one clause of a message of several, read alone, reaches this (unset: never). */
  clauseThreshold?: number;
  /** An intent's own activation to be understood, on the whole message and on a clause, where it differs from `threshold` and `clauseThreshold`. */
  intentThresholds?: Readonly<Record<string, number>>;
  /** The network's training settings (NLP.js's defaults otherwise). */
  network?: NeuralSettings;
}

/**
 * An intent found in a message and where it was asked (the character its weightiest word starts
 * at); `guessed` when no intent reached the threshold and this is only the likeliest one.
 */
export interface FoundIntent {
  intent: string;
  at: number;
  guessed?: boolean;
}

/** Training reads the kinds of entity only, never their values: any fixed day will do, and keeps training reproducible. */
const TRAINING_DAY = new Date(Date.UTC(2025, 0, 15, 12));

/** The examples in the order training reads them: by text. */
const sortedExamples = (examples: readonly IntentExample[]): IntentExample[] =>
  [...examples].sort((a, b) => (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));

/** Typos corrected towards the words of the examples (and of the concepts), the more frequent first. */
function spellingOf(sorted: readonly IntentExample[]): SpellingCorrector {
  const frequencies = new Map<string, number>();
  for (const { text } of sorted) {
    for (const { word } of normalisedWords(text)) if (!/\d/.test(word)) frequencies.set(word, (frequencies.get(word) ?? 0) + 1);
  }
  for (const word of CONCEPT_WORDS) if (!frequencies.has(word)) frequencies.set(word, 0);
  return new SpellingCorrector(frequencies);
}

/** Where the question marks of a text are. */
const questionMarks = (text: string): number[] => [...text.matchAll(/\?/g)].map((m) => m.index);

/**
 * Which intents a message asks, in the order asked: one NLP.js perceptron per intent (a message
 * may light several), on the features of intent-features.ts. Training is deterministic: the
 * examples are sorted by text and the network starts from zero weights.
 */
export class IntentModel {
  private constructor(
    private readonly network: NeuralNetwork,
    private readonly spelling: SpellingCorrector,
    private readonly intents: readonly string[],
    private readonly threshold: number,
    private readonly fallback: number,
    private readonly clauseThreshold: number | undefined,
    private readonly intentThresholds: Readonly<Record<string, number>> = {},
  ) {}

  static train(examples: readonly IntentExample[], options: IntentModelOptions): IntentModel {
    const sorted = sortedExamples(examples);
    const spelling = spellingOf(sorted);
    const corpus: NeuralExample[] = sorted.map(({ text, intents }) => ({
      input: featureInput(anchoredFeatures(classifierWords(text, spelling), findEntities(text, TRAINING_DAY), questionMarks(text))),
      output: Object.fromEntries(intents.map((intent) => [intent, 1])),
    }));
    const network = new NeuralNetwork({ ...options.network, log: false });
    network.train(corpus);
    return IntentModel.of(network, spelling, sorted, options);
  }

  /** The model whose weights `toJSON()` gave, for the same examples and options (no training). */
  static fromJSON(json: NeuralJson, examples: readonly IntentExample[], options: IntentModelOptions): IntentModel {
    const sorted = sortedExamples(examples);
    const network = new NeuralNetwork({ ...options.network, log: false });
    network.fromJSON(json);
    return IntentModel.of(network, spellingOf(sorted), sorted, options);
  }

  private static of(network: NeuralNetwork, spelling: SpellingCorrector, sorted: readonly IntentExample[], options: IntentModelOptions) {
    const intents = [...new Set(sorted.flatMap((e) => e.intents))].sort();
    return new IntentModel(
      network,
      spelling,
      intents,
      options.threshold,
      options.fallback ?? options.threshold,
      options.clauseThreshold,
      options.intentThresholds,
    );
  }

  /** The same trained network, understanding intents from other activations (cross-validation tries several). */
  withThreshold(
    threshold: number,
    fallback: number = threshold,
    clauseThreshold?: number,
    intentThresholds: Readonly<Record<string, number>> = {},
  ): IntentModel {
    return new IntentModel(this.network, this.spelling, this.intents, threshold, fallback, clauseThreshold, intentThresholds);
  }

  /** The trained weights, as NLP.js writes them: the same corpus always gives the same. */
  toJSON(): NeuralJson {
    return this.network.toJSON();
  }

  /** Every intent's activation for a message, highest first. */
  scores(text: string, entities: readonly EntityStart[] = findEntities(text)): { intent: string; score: number }[] {
    const output = this.run(anchoredFeatures(classifierWords(text, this.spelling), entities, questionMarks(text)));
    return this.intents.map((intent) => ({ intent, score: output[intent] ?? 0 })).sort((a, b) => b.score - a.score);
  }

  /**
   * The intents a message asks, in the order asked; none when nothing reaches the threshold. The
   * whole message decides which intents; the order is where each weighs most: first the clause
   * that, read alone, scores it highest, then the word within that clause.
   */
  classify(text: string, entities: readonly EntityStart[] = findEntities(text)): FoundIntent[] {
    const words = classifierWords(text, this.spelling);
    // Not one word the model knows ("asdfgh", "8"): nothing to go on.
    if (!words.some(({ word }) => this.spelling.knows(word))) return [];
    const questions = questionMarks(text);
    const whole = anchoredFeatures(words, entities, questions);
    const output = this.run(whole);
    const clauses = clauseSpans(text, words).map(([from, to]) => {
      const [start, end] = [words[from]?.at ?? 0, words[to]?.at ?? Infinity];
      const within = (at: number) => at >= start && at < end;
      const features = anchoredFeatures(
        words.slice(from, to),
        entities.filter((e) => within(e.start)),
        questions.filter(within),
      );
      return { from, features, scores: this.run(features) };
    });
    const clauseBest = (intent: string) => clauses.reduce((a, b) => ((b.scores[intent] ?? 0) > (a.scores[intent] ?? 0) ? b : a));
    const clauseReaches = (intent: string) => {
      const threshold = this.intentThresholds[intent] ?? this.clauseThreshold;
      return threshold !== undefined && clauses.length > 1 && clauses.some((clause) => (clause.scores[intent] ?? 0) >= threshold);
    };
    const found = this.intents.filter(
      (intent) => (output[intent] ?? 0) >= (this.intentThresholds[intent] ?? this.threshold) || clauseReaches(intent),
    );
    if (found.length === 0) {
      const likeliest = this.intents.reduce((a, b) => ((output[b] ?? 0) > (output[a] ?? 0) ? b : a), this.intents[0] ?? '');
      if ((output[likeliest] ?? 0) < this.fallback) return [];
      return [{ intent: likeliest, at: this.anchorAt(likeliest, whole, words, 0), guessed: true }];
    }
    if (found.length < 2) return found.map((intent) => ({ intent, at: this.anchorAt(intent, whole, words, 0) }));
    return found
      .map((intent) => {
        const best = clauseBest(intent);
        return { intent, at: this.anchorAt(intent, best.features, words, best.from) };
      })
      .sort((a, b) => a.at - b.at);
  }

  private run(features: readonly AnchoredFeature[]): Record<string, number> {
    // NLP.js returns the same object on every run: copy it.
    return { ...this.network.run(featureInput(features)) };
  }

  /** Where the word is at which an intent weighs most (the sum of the weights of the features starting there). */
  private anchorAt(intent: string, features: readonly AnchoredFeature[], words: readonly Word[], firstWord: number): number {
    const explained = this.network.explain(featureInput(features), intent);
    const weights: Record<string, number> = 'weights' in explained ? explained.weights : {};
    const perWord = new Map<number, number>();
    for (const feature of features) perWord.set(feature.word, (perWord.get(feature.word) ?? 0) + (weights[feature.name] ?? 0));
    let best = 0;
    for (const [word, weight] of perWord)
      if (weight > (perWord.get(best) ?? 0) || (weight === (perWord.get(best) ?? 0) && word < best)) best = word;
    return words[firstWord + best]?.at ?? 0;
  }
}

/** The clauses of a message as word spans [from, to): split at sentence marks, commas, line breaks and "y", "pero", "o". */
export function clauseSpans(text: string, words: readonly Word[]): [number, number][] {
  const breaks = [...text.matchAll(/[.?!;,\n¿¡]+|\s(?:y|pero|o|e)\s/giu)].map((m) => m.index);
  const spans: [number, number][] = [];
  let from = 0;
  for (let index = 1; index < words.length; index++) {
    const [previous, current] = [(words[index - 1] as Word).at, (words[index] as Word).at];
    if (breaks.some((at) => at > previous && at <= current)) {
      spans.push([from, index]);
      from = index;
    }
  }
  if (words.length > 0) spans.push([from, words.length]);
  return spans;
}
