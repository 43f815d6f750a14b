import { requirePhone } from '../customers/phone-number.js';
import { isMediaPlaceholder } from '../conversations/media-placeholder.js';
import type { Database } from '../db/database.js';
import { demoCustomers } from '../demo/demo-data.js';
import { CharlaError } from '../errors/charla-error.js';
import { SAMPLE_DOCUMENT_NAME, simulatedNotification, type SimulatedAction } from './simulated-notification.js';
import type { SimulatedMessage, SimulatorChat, SimulatorChatMessage, SimulatorCustomers } from './simulator.schemas.js';
import { chatMessage, chatOf, customersOfNumbers, type ChatReaction, type ChatRow } from './simulator.repository.js';

/**
 * Posts a notification to this Charla's own webhook, as Meta does: signed with the app secret and
 * taken through the signature check, the payload schema and the ingest (http/app.ts builds it).
 */
export type WebhookDelivery = (body: string) => Promise<{ statusCode: number; body: string }>;

export interface SimulatorOptions {
  defaultCountryCode: string;
  /** WHATSAPP_PHONE_NUMBER_ID: the business number the notifications are addressed to. */
  phoneNumberId: string;
  deliver: WebhookDelivery;
}

/** The display number the sandbox uses for the business (as its statuses do). */
export const SANDBOX_DISPLAY_NUMBER = '15550000000';
const DEFAULT_PROFILE_NAME = 'Cliente de prueba';

/** What the simulator reads from whatsapp_envios.contenido (a ClientMessage). */
interface SentContent {
  kind?: unknown;
  body?: unknown;
  button?: unknown;
  buttons?: { id?: unknown; title?: unknown }[];
  rows?: { id?: unknown; title?: unknown; description?: unknown }[];
}

function parseContent(contenido: string | null): SentContent | null {
  if (contenido === null) return null;
  try {
    const parsed: unknown = JSON.parse(contenido);
    return typeof parsed === 'object' && parsed !== null ? parsed : null;
  } catch {
    return null;
  }
}

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** A business message's list rows or reply buttons. */
function optionsOf(content: SentContent | null): SimulatorChatMessage['opciones'] {
  if (content?.kind === 'buttons' && Array.isArray(content.buttons)) {
    return {
      tipo: 'botones',
      boton: null,
      filas: content.buttons.flatMap((b) => {
        const id = text(b.id);
        const title = text(b.title);
        return id !== null && title !== null ? [{ id, titulo: title, descripcion: null }] : [];
      }),
    };
  }
  if (content?.kind === 'list' && Array.isArray(content.rows)) {
    return {
      tipo: 'lista',
      boton: text(content.button),
      filas: content.rows.flatMap((r) => {
        const id = text(r.id);
        const title = text(r.title);
        return id !== null && title !== null ? [{ id, titulo: title, descripcion: text(r.description) }] : [];
      }),
    };
  }
  return null;
}

const MEDIA_TYPES = new Set(['image', 'video', 'audio', 'document', 'sticker']);
/** The bodies the webhook gives media without a caption (docs/webhook.md). */
const REACTION_REMOVED = '[reacción eliminada]';

function filenameOf(metadata: string | null): string | null {
  const parsed = parseContent(metadata) as { filename?: unknown } | null;
  return text(parsed?.filename);
}

function toChatMessage(row: ChatRow, readUpTo: number, reactions: Map<string, string>): SimulatorChatMessage {
  const inbound = row.direccion === 'INBOUND';
  const content = inbound ? null : parseContent(row.contenido);
  const media = inbound && MEDIA_TYPES.has(row.message_type);
  const time = row.timestamp.getTime();
  return {
    id: row.id,
    message_id: row.message_id,
    direccion: row.direccion,
    autor: inbound ? 'cliente' : row.agente_id !== null ? 'agente' : 'bot',
    message_type: row.message_type,
    // A list or buttons message shows its text above its options; a template its filled-in text.
    texto: text(content?.body) ?? row.body,
    timestamp: Number.isNaN(time) ? null : row.timestamp.toISOString(),
    leido_por_negocio: inbound ? row.id <= readUpTo : null,
    status:
      !inbound && (row.status === 'sent' || row.status === 'delivered' || row.status === 'read' || row.status === 'failed')
        ? row.status
        : null,
    opciones: optionsOf(content),
    opcion_elegida: inbound && row.reply_id !== null ? { id: row.reply_id, titulo: row.body } : null,
    media: media
      ? {
          media_id: row.media_id,
          media_mime_type: row.media_mime_type,
          filename: filenameOf(row.metadata),
          caption: row.body !== null && !isMediaPlaceholder(row.body) ? row.body : null,
        }
      : null,
    reacciones: row.message_id && reactions.has(row.message_id) ? [{ emoji: reactions.get(row.message_id) as string }] : [],
  };
}

/** The customer's current reaction per message: the latest one counts, an empty one takes it back. */
function currentReactions(reactions: readonly ChatReaction[]): Map<string, string> {
  const current = new Map<string, string>();
  for (const reaction of reactions) {
    if (reaction.body === null || reaction.body === '' || reaction.body === REACTION_REMOVED) current.delete(reaction.reaction_message_id);
    else current.set(reaction.reaction_message_id, reaction.body);
  }
  return current;
}

/**
 * The customer simulator (sandbox mode): what a customer does becomes the notification Meta would
 * send, posted signed to Charla's own webhook; the chat is read back as the customer's phone shows it.
 */
export class CustomerSimulator {
  constructor(
    private readonly database: Database,
    private readonly options: SimulatorOptions,
  ) {}

  /** A number as Meta sends it (international digits); 400 when it is none. */
  number(raw: string): string {
    return requirePhone(raw, this.options.defaultCountryCode);
  }

  /** The demo customers (src/demo), with the CRM customer each number finds now. */
  async customers(): Promise<SimulatorCustomers> {
    const demo = demoCustomers();
    const found = await customersOfNumbers(
      this.database.kysely,
      demo.map((c) => c.whatsapp),
    );
    return {
      clientes: demo.map((c) => {
        const customer = found.get(c.whatsapp);
        return {
          numero: c.whatsapp,
          nombres: customer?.nombres ?? c.nombres,
          cliente_id: customer?.id ?? null,
          cedula: customer?.cedula ?? null,
          fecha_nacimiento: customer?.fecha_nacimiento ?? null,
        };
      }),
    };
  }

  /** Sends what the customer did through the webhook; the wamid it was given. */
  async send(request: SimulatedMessage): Promise<{ message_id: string; numero: string }> {
    const number = this.number(request.numero);
    const action = await this.action(number, request);
    const { payload, wamid } = simulatedNotification(
      {
        number,
        profileName: request.nombre_perfil?.trim() || DEFAULT_PROFILE_NAME,
        phoneNumberId: this.options.phoneNumberId,
        displayPhoneNumber: SANDBOX_DISPLAY_NUMBER,
      },
      action,
    );
    const answer = await this.options.deliver(JSON.stringify(payload));
    if (answer.statusCode !== 200) {
      let reason = `HTTP ${answer.statusCode}`;
      try {
        const error = (JSON.parse(answer.body) as { error?: { code?: string; message?: string } }).error;
        if (error?.code) reason = `${error.code}: ${error.message ?? ''}`;
      } catch {
        // Not JSON: the status says enough.
      }
      throw new CharlaError('SIMULATOR_DELIVERY_REFUSED', `Charla's webhook refused the simulated message (${reason.trim()}).`);
    }
    return { message_id: wamid, numero: number };
  }

  private async action(number: string, request: SimulatedMessage): Promise<SimulatedAction> {
    switch (request.tipo) {
      case 'texto':
        return { kind: 'text', body: request.texto.trim() };
      case 'imagen':
        return { kind: 'image', caption: request.texto?.trim() || undefined };
      case 'documento':
        return {
          kind: 'document',
          caption: request.texto?.trim() || undefined,
          filename: request.nombre_archivo?.trim() || SAMPLE_DOCUMENT_NAME,
        };
      case 'reaccion': {
        await this.messageOfChat(number, request.mensaje_wamid.trim());
        return { kind: 'reaction', target: request.mensaje_wamid.trim(), emoji: request.emoji };
      }
      case 'opcion': {
        const target = await this.messageOfChat(number, request.mensaje_wamid.trim());
        const options = target.direccion === 'OUTBOUND' ? optionsOf(parseContent(target.contenido)) : null;
        if (!options)
          throw new CharlaError(
            'HTTP_BAD_REQUEST',
            `mensaje_wamid: message ${request.mensaje_wamid.trim()} has no list or buttons to choose from.`,
          );
        const option = options.filas.find((o) => o.id === request.opcion_id.trim());
        if (!option) {
          throw new CharlaError(
            'HTTP_BAD_REQUEST',
            `opcion_id: "${request.opcion_id.trim()}" is not an option of that message (${options.filas.map((o) => o.id).join(', ')}).`,
          );
        }
        return {
          kind: options.tipo === 'lista' ? 'list_reply' : 'button_reply',
          context: request.mensaje_wamid.trim(),
          id: option.id,
          title: option.titulo,
          description: option.descripcion ?? undefined,
        };
      }
    }
  }

  private async messageOfChat(number: string, wamid: string) {
    const message = await chatMessage(this.database.kysely, number, wamid);
    if (!message) throw new CharlaError('HTTP_BAD_REQUEST', `mensaje_wamid: ${wamid} is not a message of the chat with ${number}.`);
    return message;
  }

  /** The newest `limit` messages of the chat, oldest first, as the customer's phone shows them. */
  async chat(rawNumber: string, limit: number): Promise<SimulatorChat> {
    const number = this.number(rawNumber);
    const { rows, reactions, state, busy } = await chatOf(this.database.kysely, number, limit);
    // Read: up to the newest message the bot answered, or the agents' read mark.
    const answered = rows.filter((r) => r.direccion === 'INBOUND' && r.respuesta_id !== null).map((r) => r.id);
    const readUpTo = Math.max(state?.leido_hasta_id ?? 0, ...answered);
    const current = currentReactions(reactions);
    return {
      numero: number,
      conversacion: state
        ? {
            modo: state.modo,
            cliente: state.cliente_id !== null && state.nombres !== null ? { id: state.cliente_id, nombres: state.nombres } : null,
            profile_name: state.profile_name,
          }
        : null,
      escribiendo: busy,
      mensajes: rows.map((row) => toChatMessage(row, readUpTo, current)),
    };
  }
}
