/**
 * bench/eval-bot: how well the bot understands (issue 13). Trains the model from the training
 * messages only (src/understanding/corpus/: train.jsonl and the supplements), then measures it,
 * once, on test/corpus/heldout.jsonl: the share of messages whose set of intents is exactly right
 * (and in the order asked), micro and macro precision/recall, each intent's precision and recall,
 * the confusion pairs, every message it gets wrong, the entities found against the labelled ones,
 * the training time and the memory the model holds.
 *
 *   npm run eval:bot                      the held-out figures (docs/bot.md, "Understanding")
 *   npm run eval:bot -- --cross-validate  the settings' choice: five folds of the training messages
 *                                         alone, at several thresholds (never the held-out part)
 *   npm run eval:bot -- --by-file         the same, each training file measured by a model trained
 *                                         on the others
 *   npm run eval:bot -- --intent-thresholds  each intent's own threshold, searched on the training
 *                                         files (leave-one-file-out), and checked on each file by
 *                                         thresholds searched on the others alone (a few minutes)
 *   npm run eval:bot -- --agreement       how far a second reader's labels of the held-out messages
 *                                         agree with the corpus's, and how many of the model's
 *                                         mistakes fall where the readers disagree
 */
import { INTENT_LABELS, type CorpusMessage, type IntentLabel } from '../src/understanding/corpus-format.js';
import { evaluateEntities, evaluateIntents, intentKappas, type IntentEvaluation } from '../src/understanding/evaluation.js';
import { readTrainingCorpus, TRAINING_CORPUS_FILES } from '../src/understanding/training-corpus.js';
import { MODEL_OPTIONS, Understanding } from '../src/understanding/understanding.js';
import { HELDOUT_TODAY, heldoutPredictions, readCorpus, readSecondReading } from '../test/corpus/corpus.js';

const percent = (share: number) => `${(share * 100).toFixed(1)} %`;
const heapMb = () => {
  globalThis.gc?.();
  return process.memoryUsage().heapUsed / 1024 / 1024;
};

function printEvaluation(evaluation: IntentEvaluation): void {
  const { micro, macro } = evaluation;
  console.log(`messages ${evaluation.messages}`);
  console.log(
    `accuracy (set of intents exactly right) ${percent(evaluation.accuracy)}; in the order asked too ${percent(evaluation.orderedAccuracy)}`,
  );
  console.log(`micro precision ${percent(micro.precision)} recall ${percent(micro.recall)} F1 ${percent(micro.f1)}`);
  console.log(`macro precision ${percent(macro.precision)} recall ${percent(macro.recall)} F1 ${percent(macro.f1)}`);
  console.log('\nintent               support  precision  recall');
  for (const f of evaluation.perIntent) {
    console.log(
      `${f.intent.padEnd(20)} ${String(f.support).padStart(7)}  ${percent(f.precision).padStart(9)}  ${percent(f.recall).padStart(7)}`,
    );
  }
  console.log('\nconfusion pairs (labelled → found instead; "-" is nothing)');
  for (const c of evaluation.confusions) console.log(`${String(c.count).padStart(3)}  ${c.expected ?? '-'} → ${c.got ?? '-'}`);
  console.log(`\nwrong (${evaluation.wrong.length})`);
  for (const w of evaluation.wrong)
    console.log(`  ${JSON.stringify(w.text)}\n      expected ${w.expected.join(', ')} | got ${w.got.join(', ') || '(not understood)'}`);
}

interface Setting {
  threshold: number;
  fallback: number;
  clause?: number;
}
const settingName = (s: Setting) =>
  `threshold ${s.threshold.toFixed(2)}, fallback ${s.fallback.toFixed(2)}, clause ${s.clause?.toFixed(2) ?? 'off'}`;

/** Each setting measured on `splits` (train on the first, test on the second), pooled. */
function compareSettings(splits: readonly [readonly CorpusMessage[], readonly CorpusMessage[]][], settings: readonly Setting[]): void {
  const predictions = new Map<string, { text: string; expected: IntentLabel[]; got: IntentLabel[] }[]>(
    settings.map((s) => [settingName(s), []]),
  );
  for (const [trainOn, testOn] of splits) {
    const understanding = Understanding.train(trainOn);
    for (const setting of settings) {
      const model = understanding.withThreshold(setting.threshold, setting.fallback, setting.clause);
      for (const m of testOn)
        predictions.get(settingName(setting))?.push({ text: m.text, expected: m.intents, got: model.understand(m.text).intents });
    }
  }
  for (const setting of settings) {
    const e = evaluateIntents(predictions.get(settingName(setting)) ?? [], INTENT_LABELS);
    const worst = [...e.perIntent].sort((a, b) => a.recall - b.recall)[0];
    console.log(
      `${settingName(setting)}: accuracy ${percent(e.accuracy)}, ordered ${percent(e.orderedAccuracy)}, micro F1 ${percent(e.micro.f1)}, lowest recall ${worst?.intent} ${percent(worst?.recall ?? 0)}`,
    );
  }
}

const SETTINGS: Setting[] = [0.4, 0.5, 0.6].flatMap((threshold) =>
  [0.1, 0.2].flatMap((fallback) => [undefined, 0.5, 0.6, 0.7].map((clause) => ({ threshold, fallback, ...(clause ? { clause } : {}) }))),
);

/** Five folds of the training messages (message i in fold i mod 5). */
function crossValidate(messages: readonly CorpusMessage[], folds: number): void {
  console.log(`${folds}-fold cross-validation on ${messages.length} training messages (message i is in fold i mod ${folds})`);
  const splits = Array.from({ length: folds }, (_, fold): [CorpusMessage[], CorpusMessage[]] => [
    messages.filter((_, i) => i % folds !== fold),
    messages.filter((_, i) => i % folds === fold),
  ]);
  compareSettings(splits, SETTINGS);
}

/** Each training file in turn measured by a model trained on the others: messages by another writer, as the held-out part is. */
function crossValidateByFile(): void {
  const files = Object.entries(TRAINING_CORPUS_FILES);
  console.log(`leave-one-file-out on the training files: ${files.map(([name]) => name).join(', ')}`);
  const splits = files.map(([name, file]): [CorpusMessage[], CorpusMessage[]] => [
    readTrainingCorpus(files.filter(([other]) => other !== name).map(([, other]) => other)),
    readTrainingCorpus([file]),
  ]);
  compareSettings(splits, SETTINGS);
}

/** The second reading of the held-out part against the corpus's labels, then the model's mistakes on the messages the readers agree on and on the others. */
function readersAgreement(training: readonly CorpusMessage[]): void {
  const readings = readSecondReading();
  const agreement = evaluateIntents(readings, INTENT_LABELS);
  console.log(`== a second reading of test/corpus/heldout.jsonl (test/corpus/agreement/second-reading.jsonl) ==`);
  console.log(
    `messages labelled alike ${agreement.messages - agreement.wrong.length} of ${agreement.messages} (${percent(agreement.accuracy)}); in the same order too ${percent(agreement.orderedAccuracy)}`,
  );
  const kappas = intentKappas(readings, INTENT_LABELS).sort((a, b) => a.kappa - b.kappa);
  console.log(`Cohen's kappa per intent, lowest first: ${kappas.map((k) => `${k.intent} ${k.kappa.toFixed(2)}`).join(', ')}`);
  console.log(`doubts the second reader noted: ${readings.filter((r) => r.doubt).length}`);
  console.log('\nlabelled otherwise (corpus | second reader)');
  for (const r of readings.filter((r) => agreement.wrong.some((w) => w.text === r.text)))
    console.log(
      `  ${JSON.stringify(r.text)}\n      ${r.expected.join(', ')} | ${r.got.join(', ')}${r.doubt ? `  (doubt: ${r.doubt})` : ''}`,
    );

  const understanding = Understanding.train(training);
  const disputed = new Set(agreement.wrong.map((w) => w.text));
  const wrong = evaluateIntents(heldoutPredictions(understanding), INTENT_LABELS).wrong;
  const onDisputed = wrong.filter((w) => disputed.has(w.text)).length;
  console.log(
    `\nthe model's mistakes: ${wrong.length}; on messages the readers label alike ${wrong.length - onDisputed}, on the others ${onDisputed}`,
  );
}

/** Each training file with a model trained on the others. */
function byFileModels(): { name: string; model: Understanding; messages: CorpusMessage[] }[] {
  const files = Object.entries(TRAINING_CORPUS_FILES);
  return files.map(([name, file]) => ({
    name,
    model: Understanding.train(readTrainingCorpus(files.filter(([other]) => other !== name).map(([, other]) => other))),
    messages: readTrainingCorpus([file]),
  }));
}

type IntentThresholds = Partial<Record<IntentLabel, number>>;

/** Accuracy of the models on their files with these intent thresholds (the rest of MODEL_OPTIONS as it is). */
function accuracyWith(folds: ReturnType<typeof byFileModels>, thresholds: IntentThresholds): number {
  const predictions = folds.flatMap(({ model, messages }) => {
    const tuned = model.withThreshold(MODEL_OPTIONS.threshold, MODEL_OPTIONS.fallback, MODEL_OPTIONS.clauseThreshold, thresholds);
    return messages.map((m) => ({ text: m.text, expected: m.intents, got: tuned.understand(m.text).intents }));
  });
  return evaluateIntents(predictions, INTENT_LABELS).accuracy;
}

/** One pass over the intents, in order: each takes the candidate threshold that raises the accuracy most (by 0.05 points at least), if any. */
function searchThresholds(folds: ReturnType<typeof byFileModels>): IntentThresholds {
  let thresholds: IntentThresholds = {};
  let best = accuracyWith(folds, thresholds);
  for (const intent of INTENT_LABELS) {
    for (const candidate of [0.4, 0.5, 0.7, 0.8]) {
      const trial = { ...thresholds, [intent]: candidate };
      const accuracy = accuracyWith(folds, trial);
      if (accuracy > best + 0.0005) [best, thresholds] = [accuracy, trial];
    }
  }
  return thresholds;
}

function intentThresholds(): void {
  const folds = byFileModels();
  const chosen = searchThresholds(folds);
  console.log(
    `leave-one-file-out accuracy: one threshold ${percent(accuracyWith(folds, {}))}, each intent its own ${percent(accuracyWith(folds, chosen))}`,
  );
  console.log(`chosen: ${JSON.stringify(chosen)}`);
  console.log('\neach file with thresholds searched on the other files alone (an honest view of the gain):');
  let [plainRight, searchedRight, all] = [0, 0, 0];
  for (const outer of folds) {
    const own = searchThresholds(folds.filter((f) => f !== outer));
    const n = outer.messages.length;
    [plainRight, searchedRight, all] = [
      plainRight + accuracyWith([outer], {}) * n,
      searchedRight + accuracyWith([outer], own) * n,
      all + n,
    ];
    console.log(
      `  ${outer.name.padEnd(14)} one threshold ${percent(accuracyWith([outer], {}))}, searched elsewhere ${percent(accuracyWith([outer], own))}  ${JSON.stringify(own)}`,
    );
  }
  console.log(`  all files      one threshold ${percent(plainRight / all)}, searched elsewhere ${percent(searchedRight / all)}`);
}

const training = readTrainingCorpus();
if (process.argv.includes('--intent-thresholds')) {
  intentThresholds();
} else if (process.argv.includes('--agreement')) {
  readersAgreement(training);
} else if (process.argv.includes('--cross-validate')) {
  crossValidate(training, 5);
} else if (process.argv.includes('--by-file')) {
  crossValidateByFile();
} else {
  const before = heapMb();
  const started = performance.now();
  const understanding = Understanding.train(training);
  const trainingMs = performance.now() - started;
  const after = heapMb();
  const heldout = readCorpus('heldout');
  const understood = heldout.map((m) => understanding.understand(m.text, { today: HELDOUT_TODAY }));
  console.log(`training: ${training.length} messages in ${trainingMs.toFixed(0)} ms (threshold ${MODEL_OPTIONS.threshold})`);
  console.log(
    globalThis.gc
      ? `model in memory: ${(after - before).toFixed(1)} MB of heap (${before.toFixed(1)} MB before training, ${after.toFixed(1)} MB after, after gc)`
      : 'model in memory: run with node --expose-gc to measure',
  );
  console.log('\n== intents on test/corpus/heldout.jsonl ==');
  printEvaluation(
    evaluateIntents(
      heldout.map((m, i) => ({ text: m.text, expected: m.intents, got: understood[i]?.intents ?? [] })),
      INTENT_LABELS,
    ),
  );

  console.log('\n== entities on test/corpus/heldout.jsonl (a match: same type, exactly the same text) ==');
  const entities = evaluateEntities(heldout.map((m, i) => ({ text: m.text, expected: m.entities, found: understood[i]?.entities ?? [] })));
  console.log('type        labelled  found  matched  precision  recall  values right');
  for (const f of entities.perType) {
    console.log(
      `${f.type.padEnd(11)} ${String(f.expected).padStart(8)}  ${String(f.found).padStart(5)}  ${String(f.matched).padStart(7)}  ${percent(f.precision).padStart(9)}  ${percent(f.recall).padStart(6)}  ${f.valuesRight}/${f.matched}`,
    );
  }
  for (const miss of entities.misses) {
    console.log(
      `  ${miss.type}: missing ${JSON.stringify(miss.missing)} extra ${JSON.stringify(miss.extra)} in ${JSON.stringify(miss.text)}`,
    );
  }
}
