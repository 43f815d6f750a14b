import type { BotNoteKind, Mode, PendingQuestion, VerificationStep } from '../db/tables.js';

/** What the bot remembers of a WhatsApp number (the `whatsapp_conversaciones` row; columns in docs/glossary.md). */
export interface ConversationState {
  clienteId: number | null;
  /** `modo`: 'bot', or 'agente' when a person holds the conversation. */
  mode: Mode;
  /** `paso_verificacion`: what the bot asked an unidentified customer for. */
  verificationStep: VerificationStep | null;
  /** `cliente_candidato_id`: the customer the cédula matched, until the date of birth confirms it. */
  candidateClienteId: number | null;
  /** `intentos_fallidos`. */
  failedAttempts: number;
  /** `comprobante_pendiente`. */
  receiptPending: boolean;
  /** `no_entendidos`: messages in a row the bot did not understand. */
  notUnderstood: number;
  /** `pregunta_pendiente`: what the bot asked an identified customer and waits for. */
  pendingQuestion: PendingQuestion | null;
}

/** Something the bot read in a customer's words and keeps for the agents (a `whatsapp_notas` row). */
export interface BotNote {
  kind: BotNoteKind;
  /** A reference's digits, a day as `YYYY-MM-DD`, or `no_escribir`. */
  value: string;
  /** As the customer wrote it. */
  text: string | null;
}
