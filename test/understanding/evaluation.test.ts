import { describe, expect, it } from 'vitest';
import { evaluateIntents, intentKappas } from '../../src/understanding/evaluation.js';

describe('the measures of understanding', () => {
  it('counts a message right only when its set of intents is exactly the labelled one', () => {
    const e = evaluateIntents(
      [
        { text: 'a', expected: ['greeting', 'balance'], got: ['balance', 'greeting'] },
        { text: 'b', expected: ['balance'], got: ['balance', 'loans'] },
        { text: 'c', expected: ['loans'], got: [] },
      ],
      ['greeting', 'balance', 'loans'],
    );
    expect([e.accuracy, e.orderedAccuracy]).toEqual([1 / 3, 0]);
    expect(e.perIntent.find((f) => f.intent === 'loans')).toMatchObject({
      support: 1,
      truePositives: 0,
      falsePositives: 1,
      falseNegatives: 1,
    });
  });

  it("gives Cohen's kappa for each intent two readings use: agreement beyond chance", () => {
    // Readers agree on `greeting` in 3 of 4 messages; by chance (1/2 and 1/4 of messages) they would in 1/2: kappa 0.5.
    const readings = [
      { text: 'a', expected: ['greeting'], got: ['greeting'] },
      { text: 'b', expected: ['greeting'], got: ['balance'] },
      { text: 'c', expected: ['balance'], got: ['balance'] },
      { text: 'd', expected: ['balance'], got: ['balance'] },
    ] as const;
    const kappas = intentKappas(readings, ['greeting', 'balance', 'loans']);
    expect(kappas.map((k) => k.intent)).toEqual(['greeting', 'balance']);
    expect(kappas[0]?.kappa).toBeCloseTo(0.5);
    // balance: observed 3/4, chance 1/2·3/4 + 1/2·1/4 = 1/2.
    expect(kappas[1]?.kappa).toBeCloseTo(0.5);
    expect(intentKappas([{ text: 'a', expected: ['menu'], got: ['menu'] }], ['menu'])).toEqual([{ intent: 'menu', kappa: 1 }]);
  });
});
