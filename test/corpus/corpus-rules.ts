import { CORPUS_INTENTS, CORPUS_PARTS, parseCorpus, type CorpusEntity, type CorpusLine, type CorpusPart } from './corpus.js';

/** What the corpus must hold (issue 13). */
export const CORPUS_MINIMUMS = {
  messages: 600,
  perIntent: 30,
  perIntentHeldOut: 20,
  multiIntent: 80,
  withEntity: 60,
  /** The held-out part's share of the corpus as written (training, first held-out and held-out parts): about a third. */
  heldOutShare: { min: 0.2, max: 0.35 },
  /** A held-out message sharing this share of its words with a training one (Jaccard) is a paraphrase of it. */
  paraphrase: 0.7,
} as const;

/** Every broken rule of the corpus, one sentence each naming the line; none when it is sound. */
export function corpusProblems(content: Record<CorpusPart, string>): string[] {
  const problems: string[] = [];
  const parts = {} as Record<CorpusPart, CorpusLine[]>;
  for (const part of CORPUS_PARTS) {
    const parsed = parseCorpus(part, content[part]);
    problems.push(...parsed.problems);
    parts[part] = parsed.lines;
    for (const { line, message } of parsed.lines)
      problems.push(...messageProblems(`${part}.jsonl:${line}`, message.text, message.intents, message.entities));
  }
  return [...problems, ...balanceProblems(parts), ...duplicateProblems(parts), ...paraphraseProblems(parts)];
}

function messageProblems(where: string, text: string, intents: readonly string[], entities: readonly CorpusEntity[]): string[] {
  const problems: string[] = [];
  if (new Set(intents).size !== intents.length) problems.push(`${where}: an intent is listed twice`);
  const spans: [number, number][] = [];
  let from = 0;
  for (const entity of entities) {
    const at = text.indexOf(entity.text, from);
    if (at < 0) {
      const anywhere = text.includes(entity.text);
      problems.push(`${where}: ${entity.type} "${entity.text}" ${anywhere ? 'is out of order' : 'is not a substring of the message'}`);
      continue;
    }
    spans.push([at, at + entity.text.length]);
    from = at + 1;
    const wrong = valueProblem(entity);
    if (wrong) problems.push(`${where}: ${entity.type} "${entity.text}": ${wrong}`);
  }
  // A long number is a cédula, a reference, an amount or a date: it must be labelled.
  for (const match of text.matchAll(/\d(?:[\d.,/-]*\d)?/g)) {
    const [start, end] = [match.index, match.index + match[0].length];
    if (digits(match[0]).length >= 5 && !spans.some(([s, e]) => s <= start && end <= e)) {
      problems.push(`${where}: "${match[0]}" is in no entity`);
    }
  }
  if (intents.includes('promise_to_pay') && !entities.some((e) => e.type === 'date')) {
    problems.push(`${where}: promise_to_pay without the date promised (a date entity)`);
  }
  return problems;
}

/** Why an entity's value does not say what its text says, or null. */
function valueProblem(entity: CorpusEntity): string | null {
  switch (entity.type) {
    case 'cedula': {
      const letter = /[VE]/i.exec(entity.text)?.[0].toUpperCase() ?? 'V';
      return entity.value === `${letter}${digits(entity.text)}` ? null : `value should be ${letter}${digits(entity.text)}`;
    }
    case 'reference':
      return entity.value === digits(entity.text) ? null : `value should be "${digits(entity.text)}"`;
    case 'amount': {
      const written = writtenAmount(entity.text);
      return written === null || Math.abs(written - entity.value) < 1e-9 ? null : `value should be ${written}`;
    }
    case 'date':
      return dateProblem(entity.text, entity.value);
  }
}

/** The number an amount's text writes ("Bs. 1.200,50" → 1200.5, "50 mil" → 50000), or null when it has no digits. */
function writtenAmount(text: string): number | null {
  const number = /\d[\d.,]*/.exec(text)?.[0].replace(/[.,]$/, '');
  if (!number) return null;
  // A comma is the decimal separator (es-VE); a dot before exactly three digits separates thousands.
  const plain = number.includes(',') ? number.replaceAll('.', '').replace(',', '.') : number.replace(/\.(?=\d{3}(?:\.|$))/g, '');
  return Number(plain) * (/\bmil\b/i.test(text) ? 1000 : 1);
}

const MONTHS = ['ene', 'feb', 'mar', 'abr', 'may', 'jun', 'jul', 'ago', 'sep', 'oct', 'nov', 'dic'];

function dateProblem(text: string, value: string | undefined): string | null {
  const hasYear = /\b(?:19|20)\d{2}\b/.test(text) || /\d{1,2}[/-]\d{1,2}[/-]\d{2,4}/.test(text);
  if (value === undefined) return hasYear ? 'a date with a year needs its ISO value' : null;
  const [year, month, day] = value.split('-').map(Number) as [number, number, number];
  const numbers = (text.match(/\d+/g) ?? []).map(Number);
  const monthWritten = numbers.includes(month) || new RegExp(`\\b${MONTHS[month - 1]}`, 'i').test(text);
  const agrees = numbers.includes(day) && (numbers.includes(year) || numbers.includes(year % 100)) && monthWritten;
  return agrees ? null : `value ${value} is not the date written`;
}

function balanceProblems(parts: Record<CorpusPart, CorpusLine[]>): string[] {
  const problems: string[] = [];
  const all = [...parts.train, ...parts['first-heldout'], ...parts.heldout].map((l) => l.message);
  const min = CORPUS_MINIMUMS;
  if (all.length < min.messages) problems.push(`${all.length} messages in all, at least ${min.messages} wanted`);
  const share = parts.heldout.length / Math.max(all.length, 1);
  if (share < min.heldOutShare.min || share > min.heldOutShare.max) {
    problems.push(`heldout.jsonl holds ${(share * 100).toFixed(1)} % of the messages, 20 to 35 % wanted`);
  }
  for (const intent of CORPUS_INTENTS) {
    const labelled = all.filter((m) => m.intents.includes(intent));
    const heldOut = parts.heldout.filter((l) => l.message.intents.includes(intent)).length;
    if (labelled.length < min.perIntent) problems.push(`${intent}: ${labelled.length} messages, at least ${min.perIntent} wanted`);
    if (heldOut < min.perIntentHeldOut) problems.push(`${intent}: ${heldOut} held-out messages, at least ${min.perIntentHeldOut} wanted`);
    const texts = labelled.map((m) => m.text);
    const missing = Object.entries(STYLES).filter(([, has]) => !texts.some(has));
    if (missing.length > 0) problems.push(`${intent}: no message ${missing.map(([style]) => style).join(', ')}`);
  }
  const multi = all.filter((m) => m.intents.length >= 2).length;
  if (multi < min.multiIntent) problems.push(`${multi} messages with two or more intents, at least ${min.multiIntent} wanted`);
  const withEntity = all.filter((m) => m.entities.length > 0).length;
  if (withEntity < min.withEntity) problems.push(`${withEntity} messages with an entity, at least ${min.withEntity} wanted`);
  return problems;
}

const wordCount = (text: string): number => text.split(/\s+/).filter((w) => /[\p{L}\d]/u.test(w)).length;

/** Styles every intent must show at least once. */
const STYLES: Record<string, (text: string) => boolean> = {
  'in capitals': (text) => /\p{Lu}{3}/u.test(text) && text === text.toUpperCase(),
  'with an emoji': (text) => /\p{Extended_Pictographic}/u.test(text),
  'of one or two words': (text) => wordCount(text) <= 2,
  'of twenty words or more': (text) => wordCount(text) >= 20,
};

/**
 * The same message twice, in one part or across both. Compared lower-cased without accents,
 * punctuation or emojis, so "Hola!!" in one part and "hola" in the other count as one.
 */
function duplicateProblems(parts: Record<CorpusPart, CorpusLine[]>): string[] {
  const problems: string[] = [];
  const seen = new Map<string, string>();
  for (const part of CORPUS_PARTS) {
    for (const { line, message } of parts[part]) {
      const key = folded(message.text);
      const where = `${part}.jsonl:${line}`;
      const first = seen.get(key);
      if (first) problems.push(`${where} repeats ${first}: "${message.text}"`);
      else seen.set(key, where);
    }
  }
  return problems;
}

/** Held-out messages that reuse a training message's words, reordered or not: the held-out part is written apart. */
function paraphraseProblems(parts: Record<CorpusPart, CorpusLine[]>): string[] {
  const wordSets = (part: CorpusPart) => parts[part].map((l) => ({ ...l, part, words: new Set(folded(l.message.text).split(' ')) }));
  const training = CORPUS_PARTS.filter((part) => part !== 'heldout').flatMap(wordSets);
  const problems: string[] = [];
  for (const held of wordSets('heldout')) {
    for (const trained of training) {
      const shared = [...held.words].filter((w) => trained.words.has(w)).length;
      const similarity = shared / (held.words.size + trained.words.size - shared);
      if (similarity >= CORPUS_MINIMUMS.paraphrase && folded(held.message.text) !== folded(trained.message.text)) {
        problems.push(`heldout.jsonl:${held.line} reuses the words of ${trained.part}.jsonl:${trained.line}: "${held.message.text}"`);
      }
    }
  }
  return problems;
}

export const folded = (text: string): string =>
  text
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\p{L}\d]+/gu, ' ')
    .trim();

const digits = (text: string): string => text.replace(/\D/g, '');
