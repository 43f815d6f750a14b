import { z } from 'zod';
import { searchText } from './search.schemas.js';

/**
 * The shapes of the customer panel, the customer search and linking a number to a customer
 * (`/api/v1/conversaciones/{numero}/cliente`, `/api/v1/clientes/buscar`,
 * `/api/v1/conversaciones/{numero}/vincular`), shared with the web front end: this file imports only
 * zod (and the search's text rule, itself zod only). Names are the CRM's and Charla's Spanish
 * (docs/glossary.md). Amounts come as numbers in the lender's currency and as `…_texto`, written
 * with LOCALE and CURRENCY.
 */

const id = z.number().int().min(1).max(2_147_483_647);
const amount = z.number().describe("An amount in the lender's currency (CURRENCY), e.g. 179.5.");
const amountText = z.string().describe('The same amount as LOCALE and CURRENCY write it, e.g. "Bs. 179,50".');
const isoDate = z.string().describe('YYYY-MM-DD');
const isoTime = z.string().describe('ISO 8601 UTC');

/** The customer as the CRM holds them; `telefonos` are the numbers of `telefono`, normalised to Meta's digits. */
export const panelCustomerSchema = z.object({
  id,
  nombres: z.string(),
  cedula: z.string().nullable(),
  telefono: z.string().nullable(),
  telefonos: z.array(z.string()),
  email: z.string().nullable(),
  direccion: z.string().nullable(),
  fecha_nacimiento: z.string().nullable(),
  ocupacion: z.string().nullable(),
  estado: z.string().nullable(),
});

/** An open instalment: its number, the amount still pending on it, its due date. */
export const panelInstalmentSchema = z.object({
  numero: z.number().int(),
  monto: amount,
  monto_texto: amountText,
  vence: isoDate,
});

export const overdueInstalmentSchema = panelInstalmentSchema.extend({
  /** Days from the due date to the lender's today. */
  dias_atraso: z.number().int(),
});

/** A loan; only running loans (`APROBADO`) have a balance and instalments due. */
export const panelLoanSchema = z.object({
  id,
  producto: z.string().nullable(),
  estado: z.string(),
  /** total_financiamiento. */
  monto: amount,
  monto_texto: amountText,
  cuotas_pagadas: z.number().int(),
  cuotas_total: z.number().int(),
  /** What is pending on its open instalments. */
  saldo: amount,
  saldo_texto: amountText,
  /** The open instalment with the earliest due date that is today or later. */
  proxima_cuota: panelInstalmentSchema.nullable(),
  /** Open instalments due before today, earliest first. */
  cuotas_vencidas: z.array(overdueInstalmentSchema),
});

export const panelPaymentSchema = z.object({
  fecha: isoTime.nullable(),
  monto: amount,
  monto_texto: amountText,
  referencia: z.string().nullable(),
  banco: z.string().nullable(),
});

/** Who linked the number to its customer and when (null: the number was identified otherwise, or not at all). */
export const linkSchema = z.object({
  cliente_id: id,
  cliente_anterior_id: id.nullable(),
  /** The agent who linked it (null when an API token did). */
  agente_id: id.nullable(),
  token_id: id.nullable(),
  vinculado_en: isoTime.nullable(),
});

/** What the bot noted for the agents from the customer's words (docs/bot.md, "What the bot notes for the agents"). */
export const botNoteSchema = z.object({
  id,
  /** `referencia_pago`: a bank reference typed with a claimed payment; `fecha_pago`: the day they said they could or will pay; `baja`: asked for no more messages; `alta`: an agent lifted the baja. */
  tipo: z.enum(['referencia_pago', 'fecha_pago', 'baja', 'alta']),
  /** The reference's digits, the day as YYYY-MM-DD, `no_escribir`, or the id of the agent who lifted a baja. */
  valor: z.string(),
  /** As the customer wrote it; for an `alta`, the agent's name. */
  texto: z.string().nullable(),
  /** The inbound message (`conversaciones_whatsapp.id`) it was read from. */
  entrante_id: id.nullable(),
  creado_en: isoTime.nullable(),
});

/** The customer panel of a conversation; `cliente` null (and the rest empty) when no customer is known for the number. */
export const customerPanelSchema = z.object({
  wa_number: z.string(),
  cliente: panelCustomerSchema.nullable(),
  vinculo: linkSchema.nullable(),
  prestamos: z.array(panelLoanSchema),
  saldo_total: amount,
  saldo_total_texto: amountText,
  /** The last five payments, newest first (ANULADO ones left out). */
  ultimos_pagos: z.array(panelPaymentSchema),
  /** The bot's last ten notes for the agents, newest first, whether or not a customer is known. */
  notas_bot: z.array(botNoteSchema),
});
export type CustomerPanel = z.infer<typeof customerPanelSchema>;

export const customerSearchQuerySchema = z.object({
  q: searchText.describe(
    'A cédula (V-12.345.678, 12345678), part of a name (case and accents do not matter) or a phone number in any format.',
  ),
});

export const customerMatchSchema = z.object({
  id,
  nombres: z.string(),
  cedula: z.string().nullable(),
  /** The CRM's phone field as written there. */
  telefono: z.string().nullable(),
});
export type CustomerMatch = z.infer<typeof customerMatchSchema>;

/** At most 20 customers, by name. */
export const customerSearchSchema = z.object({ clientes: z.array(customerMatchSchema) });
export type CustomerSearch = z.infer<typeof customerSearchSchema>;

/** `POST …/vincular`: the customer the number belongs to from now on. */
export const linkBodySchema = z.object({
  cliente_id: id.describe('clientes.id of the customer (a whole number; 422 CUSTOMER_UNKNOWN when no customer has it).'),
});
export type LinkBody = z.infer<typeof linkBodySchema>;
