import { distance } from 'fastest-levenshtein';

/**
 * Typos corrected towards the words the model knows ("pgue" → "pague", "grcias" → "gracias",
 * "atrazadas" → "atrasadas"): a word it does not know, of four letters or more, becomes the known
 * word one edit away (two from eight letters); among several, the most frequent, then the first in
 * alphabetical order, so that the same vocabulary always corrects the same way. Numbers and short
 * words are left alone: "la" and "hla" are one edit apart, and so are too many short words.
 */
export class SpellingCorrector {
  /** Known words by length, each with how often it was seen. */
  private readonly byLength = new Map<number, [string, number][]>();
  private readonly known: ReadonlyMap<string, number>;

  constructor(frequencies: ReadonlyMap<string, number>) {
    this.known = frequencies;
    const sorted = [...frequencies].sort(([a, fa], [b, fb]) => fb - fa || (a < b ? -1 : a > b ? 1 : 0));
    for (const entry of sorted) {
      const list = this.byLength.get(entry[0].length) ?? [];
      list.push(entry);
      this.byLength.set(entry[0].length, list);
    }
  }

  /** Whether the word is one of the known words. */
  knows(word: string): boolean {
    return this.known.has(word);
  }

  correct(word: string): string {
    if (word.length < 4 || this.known.has(word) || /\d/.test(word)) return word;
    const allowed = word.length >= 8 ? 2 : 1;
    let best: { word: string; edits: number; seen: number } | null = null;
    for (let length = word.length - allowed; length <= word.length + allowed; length++) {
      for (const [candidate, seen] of this.byLength.get(length) ?? []) {
        if (candidate.length < 4) continue;
        const edits = distance(word, candidate);
        if (edits > allowed) continue;
        if (!best || edits < best.edits || (edits === best.edits && seen > best.seen)) best = { word: candidate, edits, seen };
      }
    }
    return best?.word ?? word;
  }
}
