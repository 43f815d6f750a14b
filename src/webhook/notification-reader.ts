import type { z } from 'zod';
import { MEDIA_PLACEHOLDER, VOICE_NOTE_PLACEHOLDER } from '../conversations/media-placeholder.js';
import type { DeliveryStatus, InboundMessage, Notification, QuarantinedItem, StatusUpdate } from '../conversations/messages.js';
import type { QuarantineClass } from '../db/tables.js';
import { clip, hasUnstorableCharacters, MAX_TEXT_BYTES, metaTimestamp, storableText, utf8Bytes } from './item-repair.js';
import {
  serverChangeValueSchema,
  serverMessageSchema,
  serverStatusSchema,
  type ServerChangeValue,
  type ServerError,
  type ServerMessage,
  type ServerStatus,
  type ServerWebhookPayload,
} from './webhook-payload.schema.js';

const DELIVERY_STATUSES = new Set<string>(['sent', 'delivered', 'read', 'failed']);

/**
 * Every entry, every change, every message, status and error of a notification. Each change value
 * and each item is validated on its own: what cannot be stored as it came is repaired in the
 * documented way or quarantined with the reason, and never holds back the others.
 */
export function readNotification(payload: ServerWebhookPayload, receivedAt = new Date()): Notification {
  const notification: Notification = { messages: [], statuses: [], quarantined: [], repaired: 0, errors: [] };
  for (const entry of payload.entry) {
    for (const change of entry.changes) {
      const parsed = serverChangeValueSchema.safeParse(change.value);
      if (!parsed.success) {
        notification.quarantined.push(quarantine('cambio', change.value, `unreadable change value: ${issues(parsed.error)}`));
        continue;
      }
      const value = parsed.data;
      const changeErrors = (value.errors ?? []).map(formatError);
      notification.errors.push(...changeErrors);
      for (const item of value.messages ?? []) {
        const message = serverMessageSchema.safeParse(item);
        const read = message.success ? toInbound(message.data, value, changeErrors, receivedAt) : issues(message.error);
        if (typeof read === 'string') notification.quarantined.push(quarantine('mensaje', item, read));
        else {
          notification.messages.push(read.message);
          if (read.repaired) notification.repaired++;
        }
      }
      for (const item of value.statuses ?? []) {
        const status = serverStatusSchema.safeParse(item);
        const read = status.success ? toStatus(status.data, receivedAt) : issues(status.error);
        if (typeof read === 'string') notification.quarantined.push(quarantine('estado', item, read));
        else if (read === null) notification.errors.push(`Unknown status "${storableText(status.data?.status ?? '')}"`);
        else {
          notification.statuses.push(read.status);
          if (read.repaired) notification.repaired++;
        }
      }
    }
  }
  return notification;
}

function quarantine(clase: QuarantineClass, item: unknown, motivo: string): QuarantinedItem {
  const id = typeof item === 'object' && item !== null && 'id' in item && typeof item.id === 'string' ? item.id : null;
  // JSON.stringify escapes NUL and unpaired surrogates, so the content is always storable.
  return { clase, message_id: clip(id, 100), motivo: storableText(motivo), contenido: JSON.stringify(item) ?? 'null' };
}

function issues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(item)'}: ${i.message}`)
    .join('; ');
}

/** An identifier is stored as it came or not at all: a repaired id would not match Meta's. */
function unstorableId(name: string, value: string | undefined): string | null {
  return value !== undefined && hasUnstorableCharacters(value) ? `${name} holds a NUL or an unpaired surrogate` : null;
}

/** Text columns (TEXT on MySQL) hold MAX_TEXT_BYTES on every database. */
function oversized(fields: Record<string, string | null>): string | null {
  for (const [name, text] of Object.entries(fields)) {
    if (text !== null && text.length * 3 > MAX_TEXT_BYTES && utf8Bytes(text) > MAX_TEXT_BYTES) {
      return `${name} has ${utf8Bytes(text)} bytes, more than the ${MAX_TEXT_BYTES} a text column holds`;
    }
  }
  return null;
}

function toInbound(
  message: ServerMessage,
  value: ServerChangeValue,
  changeErrors: string[],
  receivedAt: Date,
): { message: InboundMessage; repaired: boolean } | string {
  const refused = unstorableId('id', message.id) ?? unstorableId('from', message.from) ?? unstorableId('type', message.type);
  if (refused) return refused;
  const content = describe(message);
  const profile = value.contacts?.find((c) => c.wa_id === message.from) ?? (value.contacts?.length === 1 ? value.contacts[0] : undefined);
  const errors = [...(message.errors ?? []).map(formatError), ...changeErrors];
  const time = metaTimestamp(message.timestamp, receivedAt);
  const metadata = {
    ...(message.from_user_id ? { from_user_id: message.from_user_id } : {}),
    ...(message.context?.forwarded ? { forwarded: true } : {}),
    ...(message.referral ? { referral: message.referral } : {}),
    ...(message.location ? { location: message.location } : {}),
    ...(message.contacts ? { contacts: message.contacts } : {}),
    ...(message.unsupported ? { unsupported: message.unsupported } : {}),
    ...(content.extra ?? {}),
    ...(time.raw !== undefined ? { timestamp_meta: time.raw } : {}),
  };
  const body = storableText(content.body);
  const inbound: InboundMessage = {
    message_id: message.id,
    // A user known only by BSUID has no number: the row keeps an empty one, the BSUID is in metadata.
    from_number: message.from ?? '',
    to_number: digits(value.metadata?.display_phone_number) || clip(value.metadata?.phone_number_id, 20) || '',
    message_type: message.type,
    body,
    timestamp: time.date,
    phone_number_id: clip(value.metadata?.phone_number_id, 30),
    profile_name: clip(profile?.profile?.name, 200),
    media_id: clip(content.media?.id, 100),
    media_mime_type: clip(content.media?.mime_type, 100),
    context_message_id: clip(message.context?.id, 100),
    reaction_message_id: clip(message.reaction?.message_id, 100),
    reply_id: clip(content.replyId, 256),
    // JSON.stringify escapes NUL and unpaired surrogates.
    metadata: Object.keys(metadata).length > 0 ? JSON.stringify(metadata) : null,
    error: errors.length > 0 ? storableText(errors.join('; ')) : null,
  };
  const tooLarge = oversized({ body: inbound.body, metadata: inbound.metadata, error: inbound.error });
  if (tooLarge) return tooLarge;
  return { message: inbound, repaired: time.raw !== undefined || body !== content.body || profileRepaired(profile?.profile?.name) };
}

function profileRepaired(name: string | undefined): boolean {
  return name !== undefined && hasUnstorableCharacters(name);
}

interface Content {
  body: string;
  media?: { id?: string | undefined; mime_type?: string | undefined } | undefined;
  replyId?: string | undefined;
  extra?: Record<string, unknown>;
}

/** The body rules of docs/webhook.md: a useful body for every type, media and reply ids kept aside. */
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
      const placeholder = message.type === 'audio' && media?.voice ? VOICE_NOTE_PLACEHOLDER : MEDIA_PLACEHOLDER[message.type];
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

function toStatus(status: ServerStatus, receivedAt: Date): { status: StatusUpdate; repaired: boolean } | string | null {
  const refused = unstorableId('id', status.id);
  if (refused) return refused;
  if (!DELIVERY_STATUSES.has(status.status)) return null;
  const errors = (status.errors ?? []).map(formatError);
  const time = metaTimestamp(status.timestamp, receivedAt);
  const error = errors.length > 0 ? storableText(errors.join('; ')).slice(0, MAX_TEXT_BYTES / 4) : null;
  return {
    status: {
      message_id: status.id,
      status: status.status as DeliveryStatus,
      timestamp: time.date,
      recipient_id: clip(status.recipient_id, 20),
      error,
    },
    repaired: time.raw !== undefined,
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
