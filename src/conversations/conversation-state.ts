import type { Mode, VerificationStep } from '../db/tables.js';

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
}
