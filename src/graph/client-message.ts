/**
 * What we send (outbound, "Client…" in whatsapp-api-js's naming): the message kinds the bot and the
 * agents use, and their Graph API JSON. whatsapp-api-js needs Node 22.13+, so these few builders are
 * written here (docs/decisions.md).
 */
export type ClientMessage =
  | { kind: 'text'; body: string }
  | { kind: 'buttons'; body: string; buttons: { id: string; title: string }[] }
  | { kind: 'list'; body: string; button: string; rows: { id: string; title: string; description?: string }[] }
  /** A Meta-approved template; `body` is its text with the parameters filled in, as the thread shows it (not sent). */
  | { kind: 'template'; name: string; language: string; parameters?: string[]; body?: string };

/** Meta's limits for interactive messages. */
const MAX_BUTTONS = 3;
const MAX_BUTTON_TITLE = 20;
const MAX_LIST_ROWS = 10;
const MAX_ROW_TITLE = 24;

export function toGraphPayload(to: string, message: ClientMessage): Record<string, unknown> {
  const base = { messaging_product: 'whatsapp', recipient_type: 'individual', to };
  switch (message.kind) {
    case 'text':
      return { ...base, type: 'text', text: { body: message.body, preview_url: false } };
    case 'buttons':
      return {
        ...base,
        type: 'interactive',
        interactive: {
          type: 'button',
          body: { text: message.body },
          action: {
            buttons: message.buttons
              .slice(0, MAX_BUTTONS)
              .map((b) => ({ type: 'reply', reply: { id: b.id, title: b.title.slice(0, MAX_BUTTON_TITLE) } })),
          },
        },
      };
    case 'list':
      return {
        ...base,
        type: 'interactive',
        interactive: {
          type: 'list',
          body: { text: message.body },
          action: {
            button: message.button.slice(0, MAX_BUTTON_TITLE),
            sections: [
              {
                title: message.button.slice(0, MAX_ROW_TITLE),
                rows: message.rows.slice(0, MAX_LIST_ROWS).map((r) => ({
                  id: r.id,
                  title: r.title.slice(0, MAX_ROW_TITLE),
                  ...(r.description ? { description: r.description.slice(0, 72) } : {}),
                })),
              },
            ],
          },
        },
      };
    case 'template':
      return {
        ...base,
        type: 'template',
        template: {
          name: message.name,
          language: { code: message.language },
          ...(message.parameters?.length
            ? { components: [{ type: 'body', parameters: message.parameters.map((text) => ({ type: 'text', text })) }] }
            : {}),
        },
      };
  }
}

/** The text a message shows, for `respuesta_bot` and the inbox; interactive messages list their options. */
export function plainText(message: ClientMessage): string {
  switch (message.kind) {
    case 'text':
      return message.body;
    case 'buttons':
      return `${message.body}\n${message.buttons.map((b, i) => `${i + 1}. ${b.title}`).join('\n')}`;
    case 'list':
      return `${message.body}\n${message.rows.map((r, i) => `${i + 1}. ${r.title}`).join('\n')}`;
    case 'template':
      return message.body ?? `[plantilla ${message.name}]${message.parameters?.length ? ` ${message.parameters.join(' | ')}` : ''}`;
  }
}
