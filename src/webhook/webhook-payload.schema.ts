import { z } from 'zod';

/**
 * What Meta sends us (inbound, "Server…" in the naming of whatsapp-api-js). Only the envelope is
 * strict (it decides 400 for the whole delivery); each change value, message and status is
 * validated on its own by `readNotification`, so an item that does not fit is quarantined without
 * holding back its neighbours. Items are read leniently, because Meta adds fields and types over
 * time and a message must never be lost for carrying one we do not know.
 */
/** Meta's seconds since the epoch, as a string or a number; checked and repaired by `readNotification`. */
const timestamp = z.union([z.string(), z.number()]).optional();

const serverError = z.looseObject({
  code: z.number().optional(),
  title: z.string().optional(),
  message: z.string().optional(),
  error_data: z.looseObject({ details: z.string().optional() }).optional(),
});

const media = z.looseObject({
  id: z.string().optional(),
  mime_type: z.string().optional(),
  caption: z.string().optional(),
  filename: z.string().optional(),
  voice: z.boolean().optional(),
  animated: z.boolean().optional(),
});

const serverMessageObject = z.looseObject({
  id: z.string().min(1).max(100),
  /** Absent for users known only by their business-scoped user id (BSUID, `from_user_id`). */
  from: z.string().min(1).max(20).optional(),
  from_user_id: z.string().optional(),
  timestamp,
  type: z.string().min(1).max(20),
  context: z.looseObject({ id: z.string().optional(), from: z.string().optional(), forwarded: z.boolean().optional() }).optional(),
  text: z.looseObject({ body: z.string() }).optional(),
  image: media.optional(),
  video: media.optional(),
  audio: media.optional(),
  document: media.optional(),
  sticker: media.optional(),
  location: z
    .looseObject({
      latitude: z.number().optional(),
      longitude: z.number().optional(),
      name: z.string().optional(),
      address: z.string().optional(),
      url: z.string().optional(),
    })
    .optional(),
  contacts: z
    .array(
      z.looseObject({
        name: z.looseObject({ formatted_name: z.string().optional(), first_name: z.string().optional() }).optional(),
        phones: z.array(z.looseObject({ phone: z.string().optional(), wa_id: z.string().optional() })).optional(),
      }),
    )
    .optional(),
  interactive: z
    .looseObject({
      type: z.string().optional(),
      button_reply: z.looseObject({ id: z.string(), title: z.string() }).optional(),
      list_reply: z.looseObject({ id: z.string(), title: z.string(), description: z.string().optional() }).optional(),
      nfm_reply: z
        .looseObject({ name: z.string().optional(), body: z.string().optional(), response_json: z.string().optional() })
        .optional(),
    })
    .optional(),
  button: z.looseObject({ text: z.string().optional(), payload: z.string().optional() }).optional(),
  reaction: z.looseObject({ message_id: z.string().optional(), emoji: z.string().optional() }).optional(),
  referral: z.looseObject({ headline: z.string().optional(), body: z.string().optional(), source_url: z.string().optional() }).optional(),
  unsupported: z.looseObject({ type: z.string().optional() }).optional(),
  errors: z.array(serverError).optional(),
});

export const serverMessageSchema = serverMessageObject.refine((m) => m.from !== undefined || m.from_user_id !== undefined, {
  message: 'a message needs "from" or "from_user_id"',
});

export const serverStatusSchema = z.looseObject({
  id: z.string().min(1).max(100),
  status: z.string().min(1),
  timestamp,
  recipient_id: z.string().optional(),
  errors: z.array(serverError).optional(),
});

/** A change's value; its messages and statuses are validated one by one. */
export const serverChangeValueSchema = z.looseObject({
  messaging_product: z.string().optional(),
  metadata: z.looseObject({ display_phone_number: z.string().optional(), phone_number_id: z.string().optional() }).optional(),
  contacts: z
    .array(z.looseObject({ wa_id: z.string().optional(), profile: z.looseObject({ name: z.string().optional() }).optional() }))
    .optional(),
  messages: z.array(z.unknown()).optional(),
  statuses: z.array(z.unknown()).optional(),
  errors: z.array(serverError).optional(),
});

export const serverWebhookPayloadSchema = z.looseObject({
  object: z.literal('whatsapp_business_account'),
  entry: z.array(
    z.looseObject({
      id: z.unknown().optional(),
      changes: z.array(z.looseObject({ field: z.unknown().optional(), value: z.unknown() })).default([]),
    }),
  ),
});

export type ServerWebhookPayload = z.infer<typeof serverWebhookPayloadSchema>;
export type ServerMessage = z.infer<typeof serverMessageSchema>;
export type ServerStatus = z.infer<typeof serverStatusSchema>;
export type ServerError = z.infer<typeof serverError>;
export type ServerChangeValue = z.infer<typeof serverChangeValueSchema>;
