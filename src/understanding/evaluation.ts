import type { CorpusEntity, IntentLabel } from './corpus-format.js';
import { ENTITY_TYPES, type EntityType, type FoundEntity } from './entities/entity.js';

/**
 * How well the understanding does on labelled messages (`npm run eval:bot`, and the test that
 * holds the held-out figures to their target). A message is right when its set of intents is
 * exactly the labelled one; `ordered` also wants them in the order asked.
 */

export interface IntentPrediction {
  text: string;
  expected: readonly IntentLabel[];
  got: readonly IntentLabel[];
}

export interface Figures {
  precision: number;
  recall: number;
  f1: number;
}

export interface IntentFigures extends Figures {
  intent: IntentLabel;
  /** Messages labelled with the intent. */
  support: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
}

export interface IntentEvaluation {
  messages: number;
  /** Share of messages whose set of intents is exactly right. */
  accuracy: number;
  /** Share of messages whose intents are right and in the order asked. */
  orderedAccuracy: number;
  /** Over every (message, intent) decision. */
  micro: Figures;
  /** The mean of the intents' figures. */
  macro: Figures;
  perIntent: IntentFigures[];
  /** An intent labelled but not found, and what was found instead (null: nothing), most frequent first. */
  confusions: { expected: IntentLabel | null; got: IntentLabel | null; count: number }[];
  wrong: IntentPrediction[];
}

const figures = (tp: number, fp: number, fn: number): Figures => {
  const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
  return { precision, recall, f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall) };
};

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));

export function evaluateIntents(predictions: readonly IntentPrediction[], labels: readonly IntentLabel[]): IntentEvaluation {
  const perIntent = labels.map((intent) => {
    let [tp, fp, fn, support] = [0, 0, 0, 0];
    for (const { expected, got } of predictions) {
      const [isExpected, isGot] = [expected.includes(intent), got.includes(intent)];
      if (isExpected) support++;
      if (isExpected && isGot) tp++;
      else if (isGot) fp++;
      else if (isExpected) fn++;
    }
    return { intent, support, truePositives: tp, falsePositives: fp, falseNegatives: fn, ...figures(tp, fp, fn) };
  });
  const sum = (key: 'truePositives' | 'falsePositives' | 'falseNegatives') => perIntent.reduce((total, f) => total + f[key], 0);
  const mean = (key: keyof Figures) => perIntent.reduce((total, f) => total + f[key], 0) / Math.max(perIntent.length, 1);
  const confusions = new Map<string, { expected: IntentLabel | null; got: IntentLabel | null; count: number }>();
  const count = (expected: IntentLabel | null, got: IntentLabel | null) => {
    const key = `${expected}>${got}`;
    const entry = confusions.get(key) ?? { expected, got, count: 0 };
    entry.count++;
    confusions.set(key, entry);
  };
  const wrong = predictions.filter((p) => !sameSet(p.expected, p.got));
  for (const { expected, got } of wrong) {
    const [missed, extra] = [expected.filter((i) => !got.includes(i)), got.filter((i) => !expected.includes(i))];
    for (const m of missed) for (const e of extra.length > 0 ? extra : [null]) count(m, e);
    if (missed.length === 0) for (const e of extra) count(null, e);
  }
  const n = Math.max(predictions.length, 1);
  return {
    messages: predictions.length,
    accuracy: (predictions.length - wrong.length) / n,
    orderedAccuracy: predictions.filter((p) => p.expected.join() === p.got.join()).length / n,
    micro: figures(sum('truePositives'), sum('falsePositives'), sum('falseNegatives')),
    macro: { precision: mean('precision'), recall: mean('recall'), f1: mean('f1') },
    perIntent,
    confusions: [...confusions.values()].sort(
      (a, b) => b.count - a.count || `${a.expected}${a.got}`.localeCompare(`${b.expected}${b.got}`),
    ),
    wrong,
  };
}

export interface EntityFigures extends Figures {
  type: EntityType;
  expected: number;
  found: number;
  /** Found with exactly the labelled text. */
  matched: number;
  /** Of those, with the labelled value too. */
  valuesRight: number;
}

/** Entities found against the labelled ones, per type: a match is the same type and exactly the same text. */
export function evaluateEntities(messages: readonly { text: string; expected: readonly CorpusEntity[]; found: readonly FoundEntity[] }[]): {
  perType: EntityFigures[];
  misses: { text: string; type: EntityType; missing: string[]; extra: string[] }[];
} {
  const perType = ENTITY_TYPES.map((type) => ({ type, expected: 0, found: 0, matched: 0, valuesRight: 0 }));
  const misses: { text: string; type: EntityType; missing: string[]; extra: string[] }[] = [];
  for (const { text, expected, found } of messages) {
    for (const figure of perType) {
      const labelled = expected.filter((e) => e.type === figure.type);
      const left = found.filter((e) => e.type === figure.type);
      figure.expected += labelled.length;
      figure.found += left.length;
      const missing: string[] = [];
      for (const entity of labelled) {
        const at = left.findIndex((f) => f.text === entity.text);
        if (at < 0) {
          missing.push(entity.text);
          continue;
        }
        const [match] = left.splice(at, 1);
        figure.matched++;
        if (match?.value === entity.value) figure.valuesRight++;
      }
      if (missing.length > 0 || left.length > 0) misses.push({ text, type: figure.type, missing, extra: left.map((e) => e.text) });
    }
  }
  return {
    perType: perType.map((f) => ({ ...f, ...figures(f.matched, f.found - f.matched, f.expected - f.matched) })),
    misses,
  };
}

/**
 * How far two readings of the same messages agree on each intent beyond chance (Cohen's kappa:
 * 1 is full agreement, 0 what two readers labelling at random with the same frequencies would
 * reach): `expected` is one reading, `got` the other. An intent neither reading uses is left out.
 */
export function intentKappas(
  readings: readonly IntentPrediction[],
  labels: readonly IntentLabel[],
): { intent: IntentLabel; kappa: number }[] {
  const n = readings.length;
  return labels.flatMap((intent) => {
    const first = readings.map((r) => r.expected.includes(intent));
    const second = readings.map((r) => r.got.includes(intent));
    const [a, b] = [first.filter(Boolean).length / n, second.filter(Boolean).length / n];
    if (a === 0 && b === 0) return [];
    const observed = first.filter((x, i) => x === second[i]).length / n;
    const chance = a * b + (1 - a) * (1 - b);
    return [{ intent, kappa: chance === 1 ? 1 : (observed - chance) / (1 - chance) }];
  });
}
