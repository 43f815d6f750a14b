/**
 * The parts of NLP.js (MIT, github.com/axa-group/nlp.js) this folder uses; the packages ship no
 * types.
 */
declare module '@nlpjs/neural' {
  /** Feature name → value; an intent name → 1 for the intents of an example. */
  export type NeuralInput = Record<string, number>;
  export interface NeuralExample {
    input: NeuralInput;
    output: Record<string, number>;
  }
  export interface NeuralSettings {
    iterations?: number;
    errorThresh?: number;
    deltaErrorThresh?: number;
    learningRate?: number;
    momentum?: number;
    alpha?: number;
    log?: boolean;
  }
  export interface NeuralStatus {
    error: number;
    deltaError: number;
    iterations: number;
  }
  export interface NeuralJson {
    settings: NeuralSettings;
    features: string[];
    intents: string[];
    perceptrons: number[][];
  }
  /** One perceptron per output, trained in order from zero weights: no randomness. */
  export class NeuralNetwork {
    constructor(settings?: NeuralSettings);
    train(corpus: NeuralExample[]): NeuralStatus;
    /** Each output's activation (0 or more), or undefined before training. */
    run(input: NeuralInput): Record<string, number> | undefined;
    explain(input: NeuralInput, intent: string): { weights: Record<string, number>; bias: number } | Record<string, never>;
    toJSON(): NeuralJson;
    fromJSON(json: NeuralJson): void;
  }
}

declare module '@nlpjs/lang-es' {
  /** Snowball's Spanish stemmer. */
  export class StemmerEs {
    stemWord(word: string): string;
  }
  /** The Spanish sentiment lexicons; `senticon` is stem → polarity from -1 to 1. */
  export const SentimentEs: { senticon: Record<string, number>; afinn: Record<string, number> };
}
