import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { INTENT_LABELS } from '../../src/understanding/corpus-format.js';
import { evaluateIntents } from '../../src/understanding/evaluation.js';
import { shippedUnderstanding } from '../../src/understanding/shipped-model.js';
import { heldoutPredictions, readSecondReading } from '../corpus/corpus.js';

/**
 * The understanding the bot uses, measured on the held-out part of the corpus (never trained on),
 * as `npm run eval:bot` measures it.
 *
 * Issue 13's target — 95 % of messages exactly right, every intent at 90 % recall — is NOT met
 * (docs/bot.md, "Understanding"). Until it is, this test holds what was measured: the accuracy
 * docs/bot.md records is the model's own (the docs stay true), and no change may take the model
 * below FLOOR. When the model reaches the target, TARGET replaces FLOOR here.
 */
const TARGET = { accuracy: 0.95, recall: 0.9 };
/** What the shipped model must keep: 2 points under the recorded accuracy, and every intent's recall at 75 %. */
const FLOOR = { accuracy: 0.848, recall: 0.75 };

const { understanding } = shippedUnderstanding();
const evaluation = evaluateIntents(heldoutPredictions(understanding), INTENT_LABELS);
const percent = (share: number) => `${(share * 100).toFixed(1)} %`;
const docs = readFileSync(path.resolve(import.meta.dirname, '../../docs/bot.md'), 'utf8');

describe('the understanding on the held-out messages', () => {
  it('gets the accuracy docs/bot.md records for it', () => {
    const recorded = /messages whose set of intents is exactly right \| ([\d.]+) %/.exec(docs)?.[1];
    expect(recorded, 'docs/bot.md has lost its "messages whose set of intents is exactly right" row').toBeDefined();
    expect(percent(evaluation.accuracy)).toBe(`${recorded} %`);
  });

  it(`keeps at least ${percent(FLOOR.accuracy)} of messages exactly right and every intent at ${percent(FLOOR.recall)} recall (target ${percent(TARGET.accuracy)} / ${percent(TARGET.recall)}, not met)`, () => {
    expect(evaluation.accuracy).toBeGreaterThanOrEqual(FLOOR.accuracy);
    const below = evaluation.perIntent.filter((f) => f.recall < FLOOR.recall).map((f) => `${f.intent} ${percent(f.recall)}`);
    expect(below).toEqual([]);
  });

  it('agrees with a second reading of the messages as docs/bot.md records, and makes the mistakes it says on the messages read alike', () => {
    const readings = readSecondReading();
    const agreement = evaluateIntents(readings, INTENT_LABELS);
    const alike = agreement.messages - agreement.wrong.length;
    expect(docs).toContain(`**${percent(agreement.accuracy)} of the messages (${alike} of ${agreement.messages})**`);
    const disputed = new Set(agreement.wrong.map((w) => w.text));
    const onAlike = evaluation.wrong.filter((w) => !disputed.has(w.text)).length;
    expect(docs).toContain(`Of the model's ${evaluation.wrong.length} mistakes, ${onAlike} are on messages both readings`);
  });
});
