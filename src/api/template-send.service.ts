import type { Principal } from '../auth/auth.repository.js';
import { customerFinances } from '../crm/customer-finance.repository.js';
import { formatDate, formatMoney } from '../crm/money.js';
import { insertOptIn, optedOutAt } from '../conversations/bot-notes.repository.js';
import { customersByNumber } from '../customers/customer-phone.repository.js';
import { customerById } from '../customers/customer.repository.js';
import type { Database } from '../db/database.js';
import { CharlaError } from '../errors/charla-error.js';
import { plainText, type ClientMessage } from '../graph/client-message.js';
import { givenName, renderTemplate, templateBody, templateVariables } from '../templates/template-text.js';
import { APPROVED, templateByNameAndLanguage } from '../templates/templates.repository.js';
import { businessNumberOf, conversationForSending, insertAgentMessage } from './agent-send.repository.js';
import type { MessageRow } from './message-row.js';
import { messageById } from './messages.repository.js';
import type { DatosPlantilla } from './templates.schemas.js';

/** How amounts and dates are written (LOCALE, CURRENCY) and the lender's today (TIMEZONE). */
export interface Presentation {
  locale: string;
  currency: string;
  today: () => string;
}

/** The customer a number belongs to: the one the bot identified for the conversation, else the phone index's. */
async function customerOf(database: Database, waNumber: string): Promise<number | null> {
  const conversation = await conversationForSending(database.kysely, waNumber);
  return conversation?.cliente_id ?? (await customersByNumber(database.kysely, [waNumber])).get(waNumber) ?? null;
}

/**
 * The values of the placeholders for the customer of `waNumber`, through the CRM reads the bot
 * uses: first name, pending balance, the next instalment not yet due and its date; null for what
 * is unknown (no customer, no instalment to come). `bajaEn`: when the customer asked for no more
 * messages (no template can be sent), else null.
 */
export async function templateDataOf(
  database: Database,
  waNumber: string,
  presentation: Presentation,
): Promise<{ clienteId: number | null; datos: DatosPlantilla; bajaEn: Date | null }> {
  const bajaEn = await optedOutAt(database.kysely, waNumber);
  const none: DatosPlantilla = { nombre: null, saldo: null, proxima_cuota: null, fecha_proxima: null };
  const clienteId = await customerOf(database, waNumber);
  const customer = clienteId === null ? null : await customerById(database.kysely, clienteId);
  if (clienteId === null || !customer) return { clienteId: null, datos: none, bajaEn };
  const finances = await customerFinances(database.kysely, clienteId, presentation.today());
  const money = (cents: number) => formatMoney(cents, presentation.locale, presentation.currency);
  const next = finances.nextInstalment;
  return {
    clienteId,
    bajaEn,
    datos: {
      nombre: givenName(customer.nombres) || null,
      saldo: money(finances.balanceCents),
      proxima_cuota: next ? money(next.pendingCents) : null,
      fecha_proxima: next ? formatDate(next.dueDate, presentation.locale) : null,
    },
  };
}

/**
 * An agent's template message: checked against the registry (known, APPROVED, one parameter per
 * body variable), then stored like an agent's text (the OUTBOUND row, `message_type` `template`,
 * with the rendered text as its body, and its outbox entry) for the sender to deliver. Allowed
 * outside the 24-hour window: that is what templates are for. Refused to a customer who asked for
 * no more messages (the bot told them "no te escribiremos más por aquí"): a template is the lender
 * writing first.
 */
export async function sendTemplateAsAgent(
  database: Database,
  principal: Principal,
  message: { to: string; nombre: string; idioma: string; parametros: string[] },
  now = new Date(),
): Promise<MessageRow> {
  const { kysely, support } = database;
  const optedOut = await optedOutAt(kysely, message.to);
  if (optedOut) {
    throw new CharlaError(
      'CUSTOMER_OPTED_OUT',
      `The customer of ${message.to} asked for no more messages on ${optedOut.toISOString()} (the bot noted a baja): templates are not sent to the number. Replies while they write within 24 hours still are. Nothing was sent.`,
    );
  }
  const template = await templateByNameAndLanguage(kysely, message.nombre, message.idioma);
  if (!template || template.estado !== APPROVED) {
    throw new CharlaError(
      'TEMPLATE_NOT_APPROVED',
      template
        ? `The template ${message.nombre} (${message.idioma}) is ${template.estado}, not APPROVED: Meta would refuse it. Nothing was sent.`
        : `There is no template ${message.nombre} (${message.idioma}) in the registry: sync the templates or pick a listed one. Nothing was sent.`,
    );
  }
  const body = templateBody(template.componentes) ?? '';
  const variables = templateVariables(body).length;
  if (message.parametros.length !== variables) {
    throw new CharlaError(
      'HTTP_BAD_REQUEST',
      `parametros has ${message.parametros.length} ${message.parametros.length === 1 ? 'value' : 'values'}, but the template ${message.nombre} (${message.idioma}) has ${variables} ${variables === 1 ? 'variable' : 'variables'}: give one per variable, in order.`,
    );
  }
  const rendered = renderTemplate(body, message.parametros).trim();
  const contenido: ClientMessage = {
    kind: 'template',
    name: template.nombre,
    language: template.idioma,
    parameters: message.parametros,
    ...(rendered ? { body: rendered } : {}),
  };
  const id = await insertAgentMessage(kysely, support, {
    from: (await businessNumberOf(kysely, message.to)) ?? '',
    to: message.to,
    text: plainText(contenido),
    contenido: JSON.stringify(contenido),
    clienteId: await customerOf(database, message.to),
    agenteId: principal.kind === 'agent' ? principal.agentId : null,
    at: now,
    messageType: 'template',
  });
  const row = await messageById(kysely, id);
  if (!row) throw new Error(`The message ${id} just written could not be read back.`);
  return row;
}

/**
 * Lifts a number's baja: the customer agreed to receive messages again (told an agent, by phone or
 * in the chat). Recorded as an `alta` note naming who lifted it; templates can be sent again. 404
 * when no baja is in force.
 */
export async function liftOptOut(database: Database, principal: Principal, waNumber: string, now = new Date()): Promise<void> {
  if (!(await optedOutAt(database.kysely, waNumber)))
    throw new CharlaError('HTTP_NOT_FOUND', `${waNumber} has no request for no more messages in force: nothing to lift.`);
  await insertOptIn(database.kysely, waNumber, { id: principal.kind === 'agent' ? principal.agentId : null, name: principal.name }, now);
}
