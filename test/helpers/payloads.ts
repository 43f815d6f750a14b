import { randomUUID } from 'node:crypto';

/**
 * Charla's own webhook payloads, one builder per type, shaped as Meta documents them.
 * Every call gets fresh message ids.
 */
export const BUSINESS_NUMBER = '15550001234';
export const PHONE_NUMBER_ID = '106540352242922';

export type Message = Record<string, unknown> & { id?: string };

export function notification(messages: Message[], options: { from?: string; name?: string; statuses?: unknown[] } = {}) {
  const from = options.from ?? '584121234567';
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: BUSINESS_NUMBER, phone_number_id: PHONE_NUMBER_ID },
              ...(messages.length > 0 ? { contacts: [{ profile: { name: options.name ?? 'María José' }, wa_id: from }] } : {}),
              ...(messages.length > 0
                ? { messages: messages.map((m) => ({ from, id: `wamid.${randomUUID()}`, timestamp: '1732500000', ...m })) }
                : {}),
              ...(options.statuses ? { statuses: options.statuses } : {}),
            },
          },
        ],
      },
    ],
  };
}

export const message = {
  text: (body: string): Message => ({ type: 'text', text: { body } }),
  image: (caption?: string): Message => ({
    type: 'image',
    image: { id: 'media-img-1', mime_type: 'image/jpeg', sha256: 'x', ...(caption ? { caption } : {}) },
  }),
  document: (filename: string, caption?: string): Message => ({
    type: 'document',
    document: { id: 'media-doc-1', mime_type: 'application/pdf', filename, ...(caption ? { caption } : {}) },
  }),
  voice: (): Message => ({ type: 'audio', audio: { id: 'media-voice-1', mime_type: 'audio/ogg; codecs=opus', voice: true } }),
  video: (): Message => ({ type: 'video', video: { id: 'media-vid-1', mime_type: 'video/mp4' } }),
  sticker: (): Message => ({ type: 'sticker', sticker: { id: 'media-stk-1', mime_type: 'image/webp', animated: false } }),
  location: (): Message => ({
    type: 'location',
    location: { latitude: 10.4806, longitude: -66.9036, name: 'Agencia Chacao', address: 'Av. Francisco de Miranda' },
  }),
  contacts: (): Message => ({
    type: 'contacts',
    contacts: [{ name: { formatted_name: 'Luis Pérez' }, phones: [{ phone: '+58 414 5550000', type: 'CELL' }] }],
  }),
  buttonReply: (id: string, title: string): Message => ({
    type: 'interactive',
    interactive: { type: 'button_reply', button_reply: { id, title } },
  }),
  listReply: (id: string, title: string): Message => ({
    type: 'interactive',
    interactive: { type: 'list_reply', list_reply: { id, title, description: 'd' } },
  }),
  quickReply: (payload: string, text: string): Message => ({
    type: 'button',
    button: { payload, text },
    context: { from: BUSINESS_NUMBER, id: 'wamid.template-1' },
  }),
  reaction: (target: string, emoji: string): Message => ({ type: 'reaction', reaction: { message_id: target, emoji } }),
  reply: (body: string, to: string): Message => ({ type: 'text', text: { body }, context: { from: BUSINESS_NUMBER, id: to } }),
  unsupported: (): Message => ({
    type: 'unsupported',
    unsupported: { type: 'edit' },
    errors: [{ code: 131051, title: 'Message type unknown', error_data: { details: 'Message type is currently not supported.' } }],
  }),
};

export function status(id: string, value: 'sent' | 'delivered' | 'read' | 'failed', timestamp: number, errors?: unknown[]) {
  return { id, status: value, timestamp: String(timestamp), recipient_id: '584121234567', ...(errors ? { errors } : {}) };
}
