import type { ServerChangeValue, ServerError, ServerMessage, ServerStatus, ServerWebhookPayload } from './webhook-payload.schema.js';

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

export interface Notification {
  messages: InboundMessage[];
  statuses: StatusUpdate[];
  /** Errors Meta reported for a whole change (`value.errors`), formatted for the log. */
  errors: string[];
}

const DELIVERY_STATUSES = new Set<string>(['sent', 'delivered', 'read', 'failed']);

/** Every entry, every change, every message, status and error of a notification. */
export function readNotification(payload: ServerWebhookPayload): Notification {
  const notification: Notification = { messages: [], statuses: [], errors: [] };
  for (const entry of payload.entry) {
    for (const change of entry.changes) {
      const value = change.value;
      const changeErrors = (value.errors ?? []).map(formatError);
      notification.errors.push(...changeErrors);
      for (const message of value.messages ?? []) notification.messages.push(toInbound(message, value, changeErrors));
      for (const status of value.statuses ?? []) {
        const update = toStatus(status);
        if (update) notification.statuses.push(update);
        else notification.errors.push(`Unknown status "${status.status}" for ${status.id}`);
      }
    }
  }
  return notification;
}

function toInbound(message: ServerMessage, value: ServerChangeValue, changeErrors: string[]): InboundMessage {
  const content = describe(message);
  const profile = value.contacts?.find((c) => c.wa_id === message.from) ?? (value.contacts?.length === 1 ? value.contacts[0] : undefined);
  const errors = [...(message.errors ?? []).map(formatError), ...changeErrors];
  const metadata = {
    ...(message.from_user_id ? { from_user_id: message.from_user_id } : {}),
    ...(message.context?.forwarded ? { forwarded: true } : {}),
    ...(message.referral ? { referral: message.referral } : {}),
    ...(message.location ? { location: message.location } : {}),
    ...(message.contacts ? { contacts: message.contacts } : {}),
    ...(message.unsupported ? { unsupported: message.unsupported } : {}),
    ...(content.extra ?? {}),
  };
  return {
    message_id: message.id,
    // A user known only by BSUID has no number: the row keeps an empty one, the BSUID is in metadata.
    from_number: message.from ?? '',
    to_number: digits(value.metadata?.display_phone_number) || (value.metadata?.phone_number_id ?? '').slice(0, 20),
    message_type: message.type,
    body: content.body,
    timestamp: message.timestamp,
    phone_number_id: clip(value.metadata?.phone_number_id, 30),
    profile_name: clip(profile?.profile?.name, 200),
    media_id: clip(content.media?.id, 100),
    media_mime_type: clip(content.media?.mime_type, 100),
    context_message_id: clip(message.context?.id, 100),
    reaction_message_id: clip(message.reaction?.message_id, 100),
    reply_id: clip(content.replyId, 256),
    metadata: Object.keys(metadata).length > 0 ? JSON.stringify(metadata) : null,
    error: errors.length > 0 ? errors.join('; ') : null,
  };
}

interface Content {
  body: string;
  media?: { id?: string | undefined; mime_type?: string | undefined } | undefined;
  replyId?: string | undefined;
  extra?: Record<string, unknown>;
}

const MEDIA_PLACEHOLDER: Record<string, string> = {
  image: '[imagen]',
  video: '[video]',
  audio: '[audio]',
  document: '[documento]',
  sticker: '[sticker]',
};

/** PRODUCT §3's body rules: a useful body for every type, media and reply ids kept aside. */
function describe(message: ServerMessage): Content {
  switch (message.type) {
    case 'text':
      return { body: message.text?.body ?? '' };
    case 'image':
    case 'video':
    case 'audio':
    case 'document':
    case 'sticker': {
      const media = message[message.type];
      const placeholder = message.type === 'audio' && media?.voice ? '[nota de voz]' : MEDIA_PLACEHOLDER[message.type];
      const name = media?.filename ? ` ${media.filename}` : '';
      return {
        body: media?.caption ?? `${placeholder}${name}`,
        media,
        ...(media?.filename ? { extra: { filename: media.filename } } : {}),
      };
    }
    case 'location': {
      const l = message.location;
      const place = [l?.name, l?.address].filter(Boolean).join(', ');
      const coordinates = l?.latitude !== undefined && l.longitude !== undefined ? `(${l.latitude}, ${l.longitude})` : '';
      return { body: ['[ubicación]', place, coordinates].filter(Boolean).join(' ') };
    }
    case 'contacts': {
      const people = (message.contacts ?? []).map((c) =>
        [c.name?.formatted_name ?? c.name?.first_name, ...(c.phones ?? []).map((p) => p.phone ?? p.wa_id)].filter(Boolean).join(' '),
      );
      return { body: `[contacto] ${people.join('; ')}`.trim() };
    }
    case 'interactive': {
      const reply = message.interactive?.button_reply ?? message.interactive?.list_reply;
      if (reply) return { body: reply.title, replyId: reply.id };
      const flow = message.interactive?.nfm_reply;
      if (flow) return { body: flow.body ?? '[formulario]', extra: { flow_response: flow.response_json } };
      return { body: '[interactivo]' };
    }
    case 'button':
      return { body: message.button?.text ?? '[botón]', replyId: message.button?.payload };
    case 'reaction': {
      const emoji = message.reaction?.emoji ?? '';
      return { body: emoji === '' ? '[reacción eliminada]' : emoji };
    }
    case 'unsupported':
      return { body: `[no soportado${message.unsupported?.type ? `: ${message.unsupported.type}` : ''}]` };
    default:
      if (message.referral) return { body: `[anuncio] ${message.referral.headline ?? ''}`.trim() };
      return { body: `[${message.type}]` };
  }
}

function toStatus(status: ServerStatus): StatusUpdate | null {
  if (!DELIVERY_STATUSES.has(status.status)) return null;
  const errors = (status.errors ?? []).map(formatError);
  return {
    message_id: status.id,
    status: status.status as DeliveryStatus,
    timestamp: status.timestamp,
    recipient_id: clip(status.recipient_id, 20),
    error: errors.length > 0 ? errors.join('; ') : null,
  };
}

/** `131051 Message type unknown: Message type is currently not supported.` */
export function formatError(error: ServerError): string {
  const details = error.error_data?.details;
  return [error.code, error.title ?? error.message].filter((p) => p !== undefined).join(' ') + (details ? `: ${details}` : '');
}

function digits(text: string | undefined): string {
  return (text ?? '').replace(/\D/g, '').slice(0, 20);
}

function clip(text: string | undefined | null, length: number): string | null {
  return text === undefined || text === null || text === '' ? null : text.slice(0, length);
}
