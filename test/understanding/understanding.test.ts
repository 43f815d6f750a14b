import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MENU } from '../../src/bot/intents.js';
import { MENU_CHOICES, yesOrNo } from '../../src/understanding/intent-rules.js';
import { SpellingCorrector } from '../../src/understanding/spelling.js';
import { normalisedWords } from '../../src/understanding/text-normalisation.js';
import { readTrainingCorpus } from '../../src/understanding/training-corpus.js';
import { loadUnderstanding, modelFingerprint, shippedUnderstanding, writeShippedModel } from '../../src/understanding/shipped-model.js';
import { Understanding } from '../../src/understanding/understanding.js';

const understanding = shippedUnderstanding().understanding;
const intents = (text: string, replyId: string | null = null) => understanding.understand(text, { replyId }).intents;

describe('what customers type, made comparable', () => {
  it('folds case and accents, squeezes emphasis, reads k as c and writes out abbreviations, keeping where each word was', () => {
    expect(normalisedWords('Holaaa!! KUANTO debo xq q')).toEqual([
      { word: 'hola', at: 0 },
      { word: 'cuanto', at: 9 },
      { word: 'debo', at: 16 },
      { word: 'porque', at: 21 },
      { word: 'que', at: 24 },
    ]);
    expect(normalisedWords('buenass 🙏🏼 pal pago móvil, llamar').map((w) => w.word)).toEqual([
      'buenas',
      'para',
      'el',
      'pago',
      'movil',
      'llamar',
    ]);
  });

  it('corrects a typo towards the words it knows, and leaves short words and numbers alone', () => {
    const spelling = new SpellingCorrector(
      new Map([
        ['pague', 3],
        ['gracias', 5],
        ['la', 9],
      ]),
    );
    expect(['pgue', 'grcias', 'hla', '12345'].map((w) => spelling.correct(w))).toEqual(['pague', 'gracias', 'hla', '12345']);
  });
});

describe('the understanding', () => {
  it('reads several questions in the order asked', () => {
    expect(intents('epa buenas, kuanto debo y cuando se vence la cuota?? grax')).toEqual([
      'greeting',
      'balance',
      'next_instalment',
      'thanks',
    ]);
    expect(intents('NO TENGO PA PAGAR AHORITA, el viernes les pago')).toEqual(['cannot_pay', 'promise_to_pay']);
  });

  it('takes the menu by its numbers and its interactive ids, as the bot offers them', () => {
    expect(MENU_CHOICES).toEqual(MENU.map(({ id, intent }) => ({ id, intent })));
    expect(['1', '2 ', 'opción 3', '#4', '5.', '6', '7'].map((t) => intents(t))).toEqual(MENU.map((m) => [m.intent]));
    expect(intents('cualquier cosa', 'menu_pagos')).toEqual(['payments']);
    expect(intents('cualquier cosa', 'un_id_que_no_existe')).toEqual([]);
    expect(intents('8')).toEqual([]);
  });

  it('always hears an explicit request to stop messages', () => {
    expect(intents('STOP')).toEqual(['opt_out']);
    expect(intents('ok muchas gracias, pero dejen de escribirme')).toContain('opt_out');
  });

  it('reads a bare yes or no to a question the bot asked, with courtesies, and nothing else as one', () => {
    expect(['si', 'Sí, por favor', 'DALE PORFA 👍', 'ok gracias', 'claro que'].map(yesOrNo)).toEqual(['yes', 'yes', 'yes', 'yes', null]);
    expect(['no', 'No gracias', 'nop'].map(yesOrNo)).toEqual(['no', 'no', 'no']);
    expect(['si no', 'gracias', '', 'si cuanto debo'].map(yesOrNo)).toEqual([null, null, null, null]);
  });

  it('understands nothing in what asks nothing: emojis, noise, a bare yes or no', () => {
    for (const text of ['👍👍', '🙏', 'asdfgh', 'si', 'No.', 'ok', '...']) expect(intents(text), text).toEqual([]);
  });

  it('names the entities of a message with its intents', () => {
    const understood = understanding.understand('ya pague Bs. 1.200,50 el lunes, ref 00912345', { today: new Date(2025, 4, 20) });
    expect(understood.intents).toContain('payment_claim');
    expect(understood.entities.map(({ type, text, value }) => ({ type, text, value }))).toEqual([
      { type: 'amount', text: 'Bs. 1.200,50', value: 1200.5 },
      { type: 'date', text: 'el lunes', value: undefined },
      { type: 'reference', text: '00912345', value: '00912345' },
    ]);
  });

  it('holds an intent to its own threshold where it has one, on the whole message and on each clause', () => {
    const text = 'buenas, cuanto debo en total?';
    expect(understanding.withThreshold(0.6, 2, 0.6).understand(text).intents).toEqual(['greeting', 'balance']);
    const stricter = understanding.withThreshold(0.6, 2, 0.6, { balance: 2 });
    expect(stricter.understand(text).intents).toEqual(['greeting']);
  });

  it('learns the same model from the same messages, whatever their order', () => {
    const messages = readTrainingCorpus();
    const once = JSON.stringify(Understanding.train(messages).toJSON());
    const reversed = JSON.stringify(Understanding.train([...messages].reverse()).toJSON());
    expect(reversed).toEqual(once);
    expect(JSON.stringify(understanding.toJSON())).toEqual(once);
  });

  it("loads the build's weights when they were trained from this corpus and code, and trains when they were not", () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'charla-model-'));
    try {
      const file = path.join(folder, 'model.json');
      writeShippedModel(file);
      const loaded = loadUnderstanding(file);
      expect(loaded.source).toBe('built');
      expect(JSON.stringify(loaded.understanding.toJSON())).toEqual(JSON.stringify(understanding.toJSON()));
      const asked = 'buenas, cuanto debo y cuando vence la proxima cuota? ya pague ref 0102938475';
      expect(loaded.understanding.understand(asked)).toEqual(understanding.understand(asked));
      // Weights of another corpus or code (another fingerprint), or no JSON at all: trained instead.
      const stored = JSON.parse(readFileSync(file, 'utf8')) as { fingerprint: string };
      writeFileSync(file, JSON.stringify({ ...stored, fingerprint: modelFingerprint().replace(/^./, (c) => (c === '0' ? '1' : '0')) }));
      expect(loadUnderstanding(file).source).toBe('trained');
      writeFileSync(file, '{"fingerprint":');
      const trained = loadUnderstanding(file);
      expect(trained.source).toBe('trained');
      expect(trained.understanding.understand(asked)).toEqual(understanding.understand(asked));
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
