/** What the bot remembers of a WhatsApp number (the `whatsapp_conversaciones` row). */
export interface ConversationState {
  clienteId: number | null;
  mode: 'bot' | 'agent';
  verificationStep: 'cedula' | 'birth_date' | null;
  candidateClienteId: number | null;
  failedAttempts: number;
  receiptPending: boolean;
}
