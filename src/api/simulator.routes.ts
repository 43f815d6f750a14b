import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../config/config.js';
import type { Database } from '../db/database.js';
import { SIGNED_IN } from '../http/authentication.js';
import {
  simulatedMessageAnswerSchema,
  simulatedMessageSchema,
  simulatorChatSchema,
  simulatorCustomersSchema,
} from './simulator.schemas.js';
import { CustomerSimulator, type WebhookDelivery } from './simulator.service.js';

const security = SIGNED_IN;
const tags = ['simulador'];

/**
 * The customer simulator (docs/inbox.md): registered by http/app.ts in sandbox mode only (no
 * WHATSAPP_ACCESS_TOKEN), for signed-in agents. What the customer does is posted, signed, to the
 * real webhook through `deliver`.
 */
export async function simulatorRoutes(
  app: FastifyInstance,
  options: { config: Config; database: Database; deliver: WebhookDelivery },
): Promise<void> {
  const simulator = new CustomerSimulator(options.database, {
    defaultCountryCode: options.config.defaultCountryCode,
    phoneNumberId: options.config.graph.phoneNumberId,
    deliver: options.deliver,
  });
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.addHook('onRequest', app.requireSignIn);

  api.get(
    '/api/v1/simulador/clientes',
    {
      schema: {
        tags,
        security,
        summary: 'The demo customers to write as: WhatsApp number, name, and the CRM customer the number finds',
        response: { 200: simulatorCustomersSchema },
      },
    },
    async () => simulator.customers(),
  );

  api.post(
    '/api/v1/simulador/mensajes',
    {
      schema: {
        tags,
        security,
        summary:
          "Write as a customer: a text, a tap on a list row or button, a sample image or document, a reaction; posted to Charla's signed webhook",
        body: simulatedMessageSchema,
        response: { 202: simulatedMessageAnswerSchema },
      },
    },
    async (request, reply) => reply.status(202).send(await simulator.send(request.body)),
  );

  api.get(
    '/api/v1/simulador/chat',
    {
      schema: {
        tags,
        security,
        summary: "A number's chat as the customer's phone shows it: newest messages, oldest first, with the bot's options and the ticks",
        querystring: z.object({
          numero: z.string().trim().min(1).max(100).describe('The WhatsApp number, in any format.'),
          limite: z.coerce.number().int().min(1).max(200).default(50).describe('Messages, 1 to 200 (50).'),
        }),
        response: { 200: simulatorChatSchema },
      },
    },
    async (request) => simulator.chat(request.query.numero, request.query.limite),
  );
}
