import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { todayIn, type Config } from '../config/config.js';
import { requirePhone } from '../customers/phone-number.js';
import type { Database } from '../db/database.js';
import { principalOf, SIGNED_IN } from '../http/authentication.js';
import { storableText } from '../validation/storable-text.js';
import { linkNumber } from './customer-link.service.js';
import { customerPanel } from './customer-panel.service.js';
import { customerPanelSchema, customerSearchQuerySchema, customerSearchSchema, linkBodySchema } from './customers.schemas.js';
import { searchCustomers } from './search.service.js';

export { customerPanelSchema, customerSearchSchema } from './customers.schemas.js';

const security = SIGNED_IN;

/** The customer side of a conversation: the panel, finding a customer, linking the number to them (docs/api.md). */
export async function customersRoutes(app: FastifyInstance, options: { config: Config; database: Database }): Promise<void> {
  const { config, database } = options;
  const db = database.kysely;
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.addHook('onRequest', app.requireSignIn);
  const numberParams = z.object({ numero: storableText({ min: 1, max: 100 }).describe('The WhatsApp number, in any format.') });
  const panelOptions = {
    defaultCountryCode: config.defaultCountryCode,
    locale: config.presentation.locale,
    currency: config.presentation.currency,
    today: () => todayIn(config.timezone),
  };

  api.get(
    '/api/v1/conversaciones/:numero/cliente',
    {
      schema: {
        tags: ['conversaciones'],
        security,
        summary: "The conversation's customer: loans, next and overdue instalments, balance, last payments",
        params: numberParams,
        response: { 200: customerPanelSchema },
      },
    },
    async (request) => customerPanel(db, requirePhone(request.params.numero, config.defaultCountryCode), panelOptions),
  );

  api.post(
    '/api/v1/conversaciones/:numero/vincular',
    {
      schema: {
        tags: ['conversaciones'],
        security,
        summary: 'Link the number to a customer: the bot and the inbox know it as that customer from now on',
        params: numberParams,
        body: linkBodySchema,
        response: { 200: customerPanelSchema },
      },
    },
    async (request) => {
      const number = requirePhone(request.params.numero, config.defaultCountryCode);
      await linkNumber(database, principalOf(request), number, request.body.cliente_id);
      return customerPanel(db, number, panelOptions);
    },
  );

  api.get(
    '/api/v1/clientes/buscar',
    {
      schema: {
        tags: ['clientes'],
        security,
        summary: 'Customers by cédula (any format), part of the name, or phone (any format): at most 20',
        querystring: customerSearchQuerySchema,
        response: { 200: customerSearchSchema },
      },
    },
    async (request) => ({ clientes: await searchCustomers(database, request.query.q, config.defaultCountryCode) }),
  );
}
