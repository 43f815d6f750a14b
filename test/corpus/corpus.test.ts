import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CORPUS_INTENTS, readCorpus, readCorpusText, type CorpusMessage, type CorpusPart } from './corpus.js';
import { corpusProblems } from './corpus-rules.js';

const stored: Record<CorpusPart, string> = {
  train: readCorpusText('train'),
  heldout: readCorpusText('heldout'),
  supplement: readCorpusText('supplement'),
  'supplement-2': readCorpusText('supplement-2'),
  'supplement-3': readCorpusText('supplement-3'),
  'supplement-4': readCorpusText('supplement-4'),
  'first-heldout': readCorpusText('first-heldout'),
};

describe('the labelled corpus', () => {
  it('follows every rule: labels, entities, size, balance, styles, no repeats, a held-out part written apart', () => {
    expect(corpusProblems(stored)).toEqual([]);
  });

  it('is counted in its README as it is', () => {
    const readme = readFileSync(path.join(import.meta.dirname, 'README.md'), 'utf8');
    const columns = ['train', 'first-heldout', 'heldout', 'supplement', 'supplement-2', 'supplement-3', 'supplement-4'] as const;
    const parts = columns.map(readCorpus);
    // | label | train | first held-out | held-out | all (the three before) | supplement | … | supplement 4 |
    const documented = new Map(
      [...readme.matchAll(/^\| `(\w+)` +((?:\| +\d+ +)+)\|/gm)].map((m) => {
        const [train, first, held, , ...supplements] = (m[2] as string).split('|').slice(1).map(Number);
        return [m[1], [train, first, held, ...supplements]];
      }),
    );
    const counted = (has: (m: CorpusMessage) => boolean) => parts.map((part) => part.filter(has).length);
    expect(Object.fromEntries(documented)).toEqual({
      ...Object.fromEntries(CORPUS_INTENTS.map((intent) => [intent, counted((m) => m.intents.includes(intent))])),
      messages: counted(() => true),
      multi_intent: counted((m) => m.intents.length >= 2),
      with_entity: counted((m) => m.entities.length > 0),
    });
  });
});

interface Line {
  text: string;
  intents: string[];
  entities: { type: string; text: string; value?: unknown }[];
  [key: string]: unknown;
}
/** A change to a part's text. */
type Edit = (content: string) => string;

const lines = (content: string): Line[] =>
  content
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as Line);
/** An edit of a part's messages. */
const messages =
  (change: (ls: Line[]) => Line[]): Edit =>
  (content) =>
    changed(change(lines(content)));
const changed = (ls: Line[]): string => ls.map((l) => JSON.stringify(l)).join('\n') + '\n';
/** An edit of the line at `index` (from 0). */
const line = (index: number, change: (l: Line) => void): Edit =>
  messages((ls) => {
    change(ls[index]!);
    return ls;
  });
/** An edit of the first line holding an entity that `has` matches; `change` gets the entity's index. */
const firstEntity = (has: (e: Line['entities'][number], l: Line) => boolean, change: (l: Line, at: number) => void): Edit =>
  messages((ls) => {
    const found = ls.find((l) => l.entities.some((e) => has(e, l)));
    if (!found) throw new Error('the corpus has no such entity to break');
    change(
      found,
      found.entities.findIndex((e) => has(e, found)),
    );
    return ls;
  });
const trainingLine = (minWords: number): Line => lines(stored.train).find((l) => l.text.split(' ').length >= minWords) as Line;
const secondSupplementLine = lines(stored['supplement-2']).find((l) => l.text.split(' ').length >= 4) as Line;

describe('a broken corpus is reported', () => {
  const cases: { broken: string; parts: CorpusPart[]; edit: Edit; says: RegExp }[] = [
    {
      broken: 'an unknown label',
      parts: ['train'],
      edit: line(0, (l) => (l.intents = ['saludo'])),
      says: /^train\.jsonl:1: intents\.0: Invalid/,
    },
    { broken: 'a message without intents', parts: ['heldout'], edit: line(2, (l) => (l.intents = [])), says: /^heldout\.jsonl:3: intents/ },
    {
      broken: 'an intent listed twice',
      parts: ['train'],
      edit: line(4, (l) => (l.intents = ['balance', 'balance'])),
      says: /^train\.jsonl:5: an intent is listed twice/,
    },
    {
      broken: 'a field the format does not have',
      parts: ['train'],
      edit: line(0, (l) => (l.intent = 'greeting')),
      says: /^train\.jsonl:1: line: Unrecognized key: "intent"/,
    },
    {
      broken: 'a line that is not JSON',
      parts: ['heldout'],
      edit: (c) => c.replace('\n', '\n{"text": "hola",\n'),
      says: /^heldout\.jsonl:2: not JSON/,
    },
    {
      broken: 'a part without its last newline',
      parts: ['train'],
      edit: (c) => c.trimEnd(),
      says: /^train\.jsonl: the last line has no newline/,
    },
    {
      broken: 'an entity that is not in its message',
      parts: ['train'],
      edit: firstEntity(
        (e) => e.type === 'amount',
        (l, at) => (l.entities[at]!.text = '999$'),
      ),
      says: /amount "999\$" is not a substring of the message/,
    },
    {
      broken: 'an amount given as text',
      parts: ['train'],
      edit: firstEntity(
        (e) => e.type === 'amount',
        (l, at) => (l.entities[at]!.value = String(l.entities[at]!.value)),
      ),
      says: /entities\.\d\.value: Invalid input: expected number/,
    },
    {
      broken: 'an amount that is not the one written',
      parts: ['first-heldout'],
      edit: firstEntity(
        (e) => e.text === 'Bs. 980,40',
        (l, at) => (l.entities[at]!.value = 98040),
      ),
      says: /amount "Bs\. 980,40": value should be 980\.4/,
    },
    {
      broken: 'a date value that is not ISO',
      parts: ['train'],
      edit: firstEntity(
        (e) => e.type === 'date' && e.value !== undefined,
        (l, at) => (l.entities[at]!.value = '17/05/1990'),
      ),
      says: /entities\.\d\.value: Invalid ISO date/,
    },
    {
      broken: 'a date with a year but no value',
      parts: ['heldout'],
      edit: firstEntity(
        (e) => e.type === 'date' && e.value !== undefined,
        (l, at) => delete l.entities[at]!.value,
      ),
      says: /a date with a year needs its ISO value/,
    },
    {
      broken: 'a date value that is not the date written',
      parts: ['train'],
      edit: firstEntity(
        (e) => e.text === '17/05/1990',
        (l, at) => (l.entities[at]!.value = '1990-07-15'),
      ),
      says: /value 1990-07-15 is not the date written/,
    },
    {
      broken: 'a cédula as written, not normalised',
      parts: ['train'],
      edit: firstEntity(
        (e) => e.type === 'cedula',
        (l, at) => (l.entities[at]!.value = l.entities[at]!.text),
      ),
      says: /entities\.\d\.value: V or E and its digits/,
    },
    {
      broken: 'a cédula value of other digits',
      parts: ['heldout'],
      edit: firstEntity(
        (e) => e.type === 'cedula',
        (l, at) => (l.entities[at]!.value = 'V99999999'),
      ),
      says: /cedula "[^"]+": value should be V\d+/,
    },
    {
      broken: 'a reference left unlabelled',
      parts: ['train'],
      edit: firstEntity(
        (e) => e.type === 'reference',
        (l, at) => l.entities.splice(at, 1),
      ),
      says: /"\d{5,}" is in no entity/,
    },
    {
      broken: 'a promise without the date promised',
      parts: ['heldout'],
      edit: firstEntity(
        (_, l) => l.intents.includes('promise_to_pay'),
        (l) => (l.entities = l.entities.filter((e) => e.type !== 'date')),
      ),
      says: /promise_to_pay without the date promised/,
    },
    {
      broken: 'a message repeated within a part',
      parts: ['train'],
      edit: messages((ls) => [...ls, { ...ls[10]! }]),
      says: new RegExp(`^train\\.jsonl:${lines(stored.train).length + 1} repeats train\\.jsonl:11:`),
    },
    {
      broken: 'a training message in the held-out part, in capitals',
      parts: ['heldout'],
      edit: messages((ls) => [...ls, { ...trainingLine(1), text: `${trainingLine(1).text.toUpperCase()}!` }]),
      says: new RegExp(`^heldout\\.jsonl:${lines(stored.heldout).length + 1} repeats train\\.jsonl:1:`),
    },
    {
      broken: 'a held-out message that reorders the words of a training one',
      parts: ['heldout'],
      edit: messages((ls) => [...ls, { ...trainingLine(4), text: trainingLine(4).text.split(' ').reverse().join(' ') }]),
      says: new RegExp(`^heldout\\.jsonl:${lines(stored.heldout).length + 1} reuses the words of train\\.jsonl:\\d+`),
    },
    {
      broken: 'a held-out message that reorders the words of a message of the second supplement',
      parts: ['heldout'],
      edit: messages((ls) => [...ls, { ...secondSupplementLine, text: secondSupplementLine.text.split(' ').reverse().join(' ') }]),
      says: new RegExp(`^heldout\\.jsonl:${lines(stored.heldout).length + 1} reuses the words of supplement-2\\.jsonl:\\d+`),
    },
    {
      broken: 'fewer than 600 messages',
      parts: ['train', 'first-heldout'],
      edit: messages((ls) => ls.slice(0, 100)),
      says: new RegExp(`^${200 + lines(stored.heldout).length} messages in all, at least 600 wanted`),
    },
    {
      broken: 'a held-out part over 35 % of the corpus',
      parts: ['train'],
      edit: messages((ls) => ls.slice(0, 400)),
      says: /^heldout\.jsonl holds 3[5-9]\.\d % of the messages, 20 to 35 % wanted/,
    },
    {
      broken: 'an intent with fewer than 20 held-out messages',
      parts: ['heldout'],
      edit: messages((ls) => {
        const optOut = ls.filter((l) => l.intents.includes('opt_out'));
        return ls.filter((l) => !optOut.includes(l) || optOut.indexOf(l) < 19);
      }),
      says: /^opt_out: 19 held-out messages, at least 20 wanted/,
    },
    {
      broken: 'an intent with fewer than 30 messages in all',
      parts: ['train', 'first-heldout', 'heldout'],
      edit: messages((ls) => ls.filter((l) => !l.intents.includes('menu'))),
      says: /^menu: \d+ messages, at least 30 wanted/,
    },
    {
      broken: 'too few messages with several intents',
      parts: ['train', 'first-heldout', 'heldout'],
      edit: messages((ls) => ls.map((l) => ({ ...l, intents: l.intents.slice(0, 1) }))),
      says: /^0 messages with two or more intents, at least 80 wanted/,
    },
    {
      broken: 'too few messages with an entity',
      parts: ['train', 'first-heldout', 'heldout'],
      edit: messages((ls) => ls.filter((l) => l.entities.length === 0)),
      says: /^\d+ messages with an entity, at least 60 wanted/,
    },
    {
      broken: 'an intent never written in capitals',
      parts: ['train', 'first-heldout', 'heldout'],
      edit: messages((ls) => ls.map((l) => (l.intents.includes('thanks') ? { ...l, text: l.text.toLowerCase() } : l))),
      says: /^thanks: no message in capitals$/,
    },
  ];

  it.each(cases)('$broken', ({ parts, edit, says }) => {
    const content = { ...stored };
    for (const part of parts) content[part] = edit(content[part]);
    expect(corpusProblems(content)).toContainEqual(expect.stringMatching(says));
  });
});
