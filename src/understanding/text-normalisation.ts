import { ABBREVIATIONS } from './abbreviations.js';

/**
 * What customers type, made comparable: lower case, no accents (ñ is n), no emojis, letters
 * repeated for emphasis squeezed ("holaaa", "buenass"), a leading k read as c ("kuota", "kreditos"),
 * and the abbreviations of abbreviations.ts written out ("q" → "que", "xq" → "porque").
 */

/** Lower case, accents and other marks removed: "Próxima CUOTA" → "proxima cuota". */
export function foldText(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** Emojis, their joiners, variation selectors and skin tones. */
const EMOJI = /\p{Extended_Pictographic}|\p{Regional_Indicator}|\u200d|\ufe0e|\ufe0f|[\u{1F3FB}-\u{1F3FF}]/gu;

/** Letters Spanish writes doubled ("llamar", "acción", "leer", "cooperativa", "innato"): kept as two. */
const DOUBLED_IN_SPANISH = new Set(['c', 'l', 'r', 'e', 'o', 'n']);

/** A word with its emphasis removed: three or more of a letter become one, two become one unless Spanish doubles it. */
export function squeeze(word: string): string {
  return word
    .replace(/(\p{L})\1{2,}/gu, '$1')
    .replace(/(\p{L})\1/gu, (pair, letter: string) => (DOUBLED_IN_SPANISH.has(letter) ? pair : letter));
}

/** "kuanto", "kreditos" → "cuanto", "creditos"; "kiero" → "quiero". */
function leadingK(word: string): string {
  if (/^k[aoulr]/.test(word)) return `c${word.slice(1)}`;
  if (/^k[ei]/.test(word)) return `qu${word.slice(1)}`;
  return word;
}

/** A written word: letters and digits, with a `$` kept so that "50$" stays one word. */
const WORD = /[\p{L}\p{N}$]+/gu;

/** A word of the text and where it was written (its first character in the original text). */
export interface Word {
  word: string;
  at: number;
}

/**
 * The words of a text, normalised, each with the position it was written at; an abbreviation that
 * stands for two words ("pal" → "para el") gives both at the same position.
 */
export function normalisedWords(text: string): Word[] {
  // Folding keeps one character per character of the text only without the marks it removes, so
  // positions come from the text with each character folded on its own.
  const words: Word[] = [];
  const folded = [...text].map((character) => foldText(character).replace(EMOJI, ' ') || ' ');
  const plain = folded.map((f) => (f.length === 1 ? f : f[0])).join('');
  const offsets: number[] = [];
  let at = 0;
  for (const character of text) {
    offsets.push(at);
    at += character.length;
  }
  for (const match of plain.matchAll(WORD)) {
    const written = match[0];
    const position = offsets[match.index] ?? 0;
    if (/\d/.test(written)) {
      words.push({ word: written.replace(/\$/g, ''), at: position });
      continue;
    }
    const word = leadingK(squeeze(written.replace(/\$/g, '')));
    if (word === '') continue;
    for (const part of (ABBREVIATIONS.get(word) ?? word).split(' ')) words.push({ word: part, at: position });
  }
  return words;
}
