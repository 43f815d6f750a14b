import { randomBytes, randomInt } from 'node:crypto';

/**
 * The webhook notification Meta would send for what a simulated customer does (docs/webhook.md's
 * shapes): one `messages` change with the business's metadata, the customer's profile and one
 * message. Media are never downloaded (Meta sends only ids), so a sample image or document is just
 * realistic ids, a MIME type, a hash and a file name.
 */

/** What the customer does, with everything the notification needs already decided. */
export type SimulatedAction =
  | { kind: 'text'; body: string }
  | { kind: 'list_reply' | 'button_reply'; context: string; id: string; title: string; description?: string | undefined }
  | { kind: 'image'; caption?: string | undefined }
  | { kind: 'document'; caption?: string | undefined; filename: string }
  | { kind: 'reaction'; target: string; emoji: string };

export interface SimulatedSender {
  /** International digits, as Meta's `from` and `wa_id`. */
  number: string;
  profileName: string;
  /** The business number's Graph id and display number (the sandbox's). */
  phoneNumberId: string;
  displayPhoneNumber: string;
}

/** The sample receipt the simulator sends as a document when none is named. */
export const SAMPLE_DOCUMENT_NAME = 'comprobante-pago.pdf';

/** A wamid shaped like Meta's: `wamid.` and base64 of the number and a random id. */
export function simulatedWamid(number: string): string {
  const inner = Buffer.concat([
    Buffer.from(`\u0018\u000c${number}\u0015\u0002\u0000\u0012\u0018\u0020`),
    Buffer.from(randomBytes(16).toString('hex').toUpperCase()),
  ]);
  return `wamid.${inner.toString('base64')}`;
}

/** A media id shaped like Meta's: 16 digits. */
function mediaId(): string {
  return `${randomInt(1, 10)}${String(randomInt(0, 1e9)).padStart(9, '0')}${String(randomInt(0, 1e6)).padStart(6, '0')}`;
}

function message(action: SimulatedAction): Record<string, unknown> {
  switch (action.kind) {
    case 'text':
      return { type: 'text', text: { body: action.body } };
    case 'list_reply':
      return {
        type: 'interactive',
        context: { id: action.context },
        interactive: {
          type: 'list_reply',
          list_reply: { id: action.id, title: action.title, ...(action.description ? { description: action.description } : {}) },
        },
      };
    case 'button_reply':
      return {
        type: 'interactive',
        context: { id: action.context },
        interactive: { type: 'button_reply', button_reply: { id: action.id, title: action.title } },
      };
    case 'image':
      return {
        type: 'image',
        image: {
          id: mediaId(),
          mime_type: 'image/jpeg',
          sha256: randomBytes(32).toString('base64'),
          ...(action.caption ? { caption: action.caption } : {}),
        },
      };
    case 'document':
      return {
        type: 'document',
        document: {
          id: mediaId(),
          mime_type: action.filename.toLowerCase().endsWith('.pdf') ? 'application/pdf' : 'application/octet-stream',
          sha256: randomBytes(32).toString('base64'),
          filename: action.filename,
          ...(action.caption ? { caption: action.caption } : {}),
        },
      };
    case 'reaction':
      return { type: 'reaction', reaction: { message_id: action.target, emoji: action.emoji } };
  }
}

/** The notification, and the wamid it gives the message. */
export function simulatedNotification(
  sender: SimulatedSender,
  action: SimulatedAction,
  now = new Date(),
): { payload: unknown; wamid: string } {
  const wamid = simulatedWamid(sender.number);
  const item = { from: sender.number, id: wamid, timestamp: String(Math.floor(now.getTime() / 1000)), ...message(action) };
  if ('context' in item && typeof item.context === 'object' && item.context !== null) {
    // Meta names the business number that sent the message replied to.
    item.context = { from: sender.displayPhoneNumber, ...item.context };
  }
  return {
    wamid,
    payload: {
      object: 'whatsapp_business_account',
      entry: [
        {
          id: 'sandbox',
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: sender.displayPhoneNumber, phone_number_id: sender.phoneNumberId },
                contacts: [{ profile: { name: sender.profileName }, wa_id: sender.number }],
                messages: [item],
              },
            },
          ],
        },
      ],
    },
  };
}
