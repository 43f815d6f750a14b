import { readFileSync } from 'node:fs';
import { CharlaError } from '../errors/charla-error.js';
import { DEFAULT_TEXTS, placeholdersOf, type BotTextKey, type BotTexts } from './replies.js';

/**
 * The bot's texts with a lender's own words over the defaults (BOT_TEXTS_FILE, docs/bot.md "The
 * bot's texts"): a JSON object naming any of DEFAULT_TEXTS' keys. A key the bot does not have, a
 * text that is not a non-empty string, or a `{placeholder}` the default does not fill is refused
 * with every problem named, so a mistyped file stops the start instead of garbling replies.
 */
export function loadBotTexts(file: string | undefined): BotTexts {
  if (!file) return DEFAULT_TEXTS;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new CharlaError('CONFIG_INVALID', `BOT_TEXTS_FILE ${file} cannot be read as JSON: ${(error as Error).message}`);
  }
  return botTextsFrom(parsed, file);
}

/** The defaults with `overrides` over them; throws CONFIG_INVALID naming each problem. */
export function botTextsFrom(overrides: unknown, where = 'BOT_TEXTS_FILE'): BotTexts {
  if (typeof overrides !== 'object' || overrides === null || Array.isArray(overrides)) {
    throw new CharlaError('CONFIG_INVALID', `${where} must hold a JSON object of texts, e.g. {"thanks": "¡A la orden!"}`);
  }
  const problems: string[] = [];
  const texts: Record<string, string> = { ...DEFAULT_TEXTS };
  for (const [key, value] of Object.entries(overrides)) {
    if (!(key in DEFAULT_TEXTS)) {
      problems.push(`"${key}" is not one of the bot's texts (${Object.keys(DEFAULT_TEXTS).join(', ')})`);
      continue;
    }
    if (typeof value !== 'string' || value.trim() === '') {
      problems.push(`"${key}" must be a non-empty string`);
      continue;
    }
    const allowed = placeholdersOf(DEFAULT_TEXTS[key as BotTextKey]);
    const unknown = placeholdersOf(value).filter((name) => !allowed.includes(name));
    if (unknown.length > 0) {
      problems.push(
        `"${key}" uses {${unknown.join('}, {')}}, which it cannot fill${allowed.length > 0 ? ` (it fills {${allowed.join('}, {')}})` : ''}`,
      );
      continue;
    }
    texts[key] = value;
  }
  if (problems.length > 0) throw new CharlaError('CONFIG_INVALID', `${where}:\n  ${problems.join('\n  ')}\nSee docs/bot.md.`);
  return texts as BotTexts;
}
