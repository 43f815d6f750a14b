import type { NeuralJson } from '@nlpjs/neural';
import { INTENT_LABELS, type CorpusMessage, type IntentLabel } from './corpus-format.js';
import { findEntities } from './entities/entities.js';
import type { FoundEntity } from './entities/entity.js';
import { IntentModel, type IntentModelOptions } from './intent-model.js';
import { explicitOptOut, isBareAnswer, menuChoice } from './intent-rules.js';

/** What a customer's message asks (its intents in the order asked; none when not understood) and the entities it names. */
export interface Understood {
  intents: IntentLabel[];
  entities: FoundEntity[];
  /**
   * The intents are only the model's likeliest guess: none reached the threshold (a rule, a menu
   * choice or an explicit opt-out is never a guess). The bot acts on a guess only where a wrong
   * one costs little.
   */
  guessed: boolean;
}

export interface UnderstandOptions {
  /** The id of the interactive row or button the customer chose, when the message is one. */
  replyId?: string | null;
  /** The lender's today, from which "mañana" and "el viernes" are counted. */
  today?: Date;
}

/**
 * The model's settings, chosen on the training messages alone (docs/decisions.md, "The bot's intent
 * model"): each training file in turn measured by a model trained on the others
 * (`npm run eval:bot -- --by-file`: messages by another writer, as the held-out part is). NLP.js's
 * learning rate lowered from 0.6 to 0.1; an intent understood from an activation of 0.6 for the
 * whole message, or of 0.6 for one of its clauses read alone (a question buried in a long
 * message); when none reaches it, the likeliest from 0.1 (below that, the message is not understood).
 * Eight intents the model lit too readily beside another need more, on the whole message and on a
 * clause alike: searched intent by intent on the same leave-one-file-out measure
 * (`npm run eval:bot -- --intent-thresholds`, which also checks each file with thresholds searched
 * on the other files alone: 83.5 → 84.3 %).
 */
export const MODEL_OPTIONS: IntentModelOptions = {
  threshold: 0.6,
  fallback: 0.1,
  clauseThreshold: 0.6,
  intentThresholds: {
    balance: 0.7,
    next_instalment: 0.7,
    instalment_amount: 0.7,
    overdue: 0.8,
    loans: 0.7,
    promise_to_pay: 0.7,
    out_of_scope: 0.7,
    menu: 0.8,
  },
  network: { learningRate: 0.1 },
};

const isIntentLabel = (intent: string): intent is IntentLabel => (INTENT_LABELS as readonly string[]).includes(intent);

/**
 * The bot's understanding of Venezuelan Spanish as customers type it: the rules of intent-rules.ts
 * first (menu ids and numbers, explicit opt-outs), the trained model for the rest, the entities
 * of entities/ (docs/bot.md, "Understanding").
 */
export class Understanding {
  private constructor(private readonly model: IntentModel) {}

  static train(messages: readonly CorpusMessage[], options: IntentModelOptions = MODEL_OPTIONS): Understanding {
    return new Understanding(IntentModel.train(messages, options));
  }

  /** The same model, understanding intents from another activation (cross-validation tries several). */
  withThreshold(
    threshold: number,
    fallback: number = threshold,
    clauseThreshold?: number,
    intentThresholds: Readonly<Record<string, number>> = {},
  ): Understanding {
    return new Understanding(this.model.withThreshold(threshold, fallback, clauseThreshold, intentThresholds));
  }

  /** The trained weights: the same corpus always gives the same. */
  toJSON(): NeuralJson {
    return this.model.toJSON();
  }

  /** The understanding whose weights `toJSON()` gave, for the same messages and options: no training. */
  static fromJSON(json: NeuralJson, messages: readonly CorpusMessage[], options: IntentModelOptions = MODEL_OPTIONS): Understanding {
    return new Understanding(IntentModel.fromJSON(json, messages, options));
  }

  understand(text: string, options: UnderstandOptions = {}): Understood {
    const entities = findEntities(text, options.today);
    const chosen = menuChoice(text, options.replyId ?? null);
    if (chosen !== null || options.replyId) return { intents: chosen ? [chosen] : [], entities, guessed: false };
    if (isBareAnswer(text)) return { intents: [], entities, guessed: false };
    const found = this.model.classify(text, entities);
    const optOut = explicitOptOut(text);
    if (optOut !== null) {
      // The rule is sure, whatever the model guessed.
      const guess = found.findIndex((f) => f.intent === 'opt_out');
      if (guess >= 0) found.splice(guess, 1);
      found.push({ intent: 'opt_out', at: optOut });
      found.sort((a, b) => a.at - b.at);
    }
    const guessed = found.length > 0 && found.every((f) => f.guessed === true);
    return { intents: found.map((f) => f.intent).filter(isIntentLabel), entities, guessed };
  }
}
