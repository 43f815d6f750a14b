/** Unsent text per conversation, kept in localStorage so an expired session or a reload loses nothing. */
const key = (number: string): string => `charla:borrador:${number}`;

export function draftOf(number: string): string {
  try {
    return localStorage.getItem(key(number)) ?? '';
  } catch {
    return '';
  }
}

export function keepDraft(number: string, text: string): void {
  try {
    if (text) localStorage.setItem(key(number), text);
    else localStorage.removeItem(key(number));
  } catch {
    // Storage full or disabled: the draft lives only in the page.
  }
}
