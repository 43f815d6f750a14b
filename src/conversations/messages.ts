import type { QuarantineClass } from '../db/tables.js';

/**
 * What a webhook notification holds once read, whatever the payload looked like: the shapes the
 * webhook produces and storage writes (docs/webhook-hardening.md).
 */

/** One inbound message as it is stored: a row of conversaciones_whatsapp plus the later revision's columns. */
export interface InboundMessage {
  message_id: string;
  from_number: string;
  to_number: string;
  message_type: string;
  body: string;
  timestamp: Date;
  phone_number_id: string | null;
  profile_name: string | null;
  media_id: string | null;
  media_mime_type: string | null;
  context_message_id: string | null;
  reaction_message_id: string | null;
  reply_id: string | null;
  metadata: string | null;
  error: string | null;
}

export type DeliveryStatus = 'sent' | 'delivered' | 'read' | 'failed';

/** A status update of a message we sent. */
export interface StatusUpdate {
  message_id: string;
  status: DeliveryStatus;
  timestamp: Date;
  recipient_id: string | null;
  error: string | null;
}

/** An item kept whole in `whatsapp_cuarentena` because it cannot be stored as it came. */
export interface QuarantinedItem {
  clase: QuarantineClass;
  /** The item's id when it has a readable one (clipped, storable), for the admin's search. */
  message_id: string | null;
  motivo: string;
  /** The item as Meta sent it, as JSON. */
  contenido: string;
}

export interface Notification {
  messages: InboundMessage[];
  statuses: StatusUpdate[];
  quarantined: QuarantinedItem[];
  /** How many stored items needed a documented repair (a NUL replaced, a timestamp replaced…). */
  repaired: number;
  /** Errors Meta reported for a whole change (`value.errors`), formatted for the log. */
  errors: string[];
}
