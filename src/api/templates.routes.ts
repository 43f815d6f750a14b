import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { todayIn, type Config } from '../config/config.js';
import { requirePhone } from '../customers/phone-number.js';
import type { Database } from '../db/database.js';
import { CharlaError } from '../errors/charla-error.js';
import { principalOf, requireRole, SIGNED_IN } from '../http/authentication.js';
import {
  addCannedReply,
  cannedReplyById,
  changeCannedReply,
  deleteCannedReply,
  listCannedReplies,
  type CannedReplyRow,
} from '../templates/canned-replies.repository.js';
import { renderTemplate, templateBody, templateExample, templateVariables } from '../templates/template-text.js';
import { listTemplates, type TemplateRow } from '../templates/templates.repository.js';
import { ensureSandboxTemplates, syncTemplates, templateSourceOf } from '../templates/templates-sync.service.js';
import { databaseId } from '../validation/database-id.js';
import { storableText } from '../validation/storable-text.js';
import { isoTimestamp } from './message-row.js';
import { liftOptOut, sendTemplateAsAgent, templateDataOf } from './template-send.service.js';
import {
  cambioRespuestaRapidaSchema,
  datosPlantillaResponseSchema,
  envioPlantillaBodySchema,
  nuevaRespuestaRapidaSchema,
  plantillasQuerySchema,
  plantillasResponseSchema,
  respuestaRapidaResponseSchema,
  respuestasRapidasResponseSchema,
  sincronizacionResponseSchema,
  type Plantilla,
  type RespuestaRapida,
} from './templates.schemas.js';

/** A template as the picker shows it: the body, how many parameters it takes, and an example. */
function templateOut(row: TemplateRow): Plantilla {
  const texto = templateBody(row.componentes);
  return {
    id: row.id,
    nombre: row.nombre,
    idioma: row.idioma,
    categoria: row.categoria,
    estado: row.estado,
    texto,
    variables: templateVariables(texto).length,
    vista: texto === null ? null : renderTemplate(texto, templateExample(row.componentes)),
    sincronizado_en: isoTimestamp(row.sincronizado_en) ?? '',
  };
}

function replyOut(row: CannedReplyRow): RespuestaRapida {
  return { id: row.id, atajo: row.atajo, texto: row.texto, creado_en: isoTimestamp(row.creado_en) ?? '' };
}

/**
 * Message templates (the registry synced from Meta, or the sandbox's), sending one to a number,
 * the values of a number's placeholders, and canned replies (docs/api.md).
 */
export async function templatesRoutes(app: FastifyInstance, options: { config: Config; database: Database }): Promise<void> {
  const { config, database } = options;
  const db = database.kysely;
  const source = templateSourceOf(config);
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.addHook('onRequest', app.requireSignIn);
  const admin = { onRequest: requireRole('admin') };
  const security = SIGNED_IN;
  const numberParams = z.object({ numero: storableText({ min: 1, max: 100 }).describe('The WhatsApp number, in any format.') });
  const idParams = z.object({ id: databaseId });

  api.get(
    '/api/v1/plantillas',
    {
      schema: {
        tags: ['plantillas'],
        security,
        summary: 'Message templates: the approved ones (any status for admins with estado=todas)',
        querystring: plantillasQuerySchema,
        response: { 200: plantillasResponseSchema },
      },
    },
    async (request) => {
      const all = request.query.estado === 'todas';
      if (all && principalOf(request).role !== 'admin')
        throw new CharlaError('FORBIDDEN', 'Only an admin may see templates of every status.');
      await ensureSandboxTemplates(database, source);
      return { plantillas: (await listTemplates(db, { all })).map(templateOut) };
    },
  );

  api.post(
    '/api/v1/plantillas/sincronizar',
    {
      schema: {
        tags: ['plantillas'],
        security,
        summary: "Reads the business account's templates from Meta (or the sandbox) into the registry",
        response: { 200: sincronizacionResponseSchema },
      },
      ...admin,
    },
    async () => ({ sincronizacion: await syncTemplates(database, source) }),
  );

  api.post(
    '/api/v1/conversaciones/:numero/plantilla',
    {
      schema: {
        tags: ['plantillas'],
        security,
        summary: 'Send an approved template to the number (allowed outside the 24-hour window)',
        params: numberParams,
        body: envioPlantillaBodySchema,
      },
    },
    async (request, reply) => {
      const { nombre, idioma, parametros } = request.body;
      const conversacion = await sendTemplateAsAgent(database, principalOf(request), {
        to: requirePhone(request.params.numero, config.defaultCountryCode),
        nombre,
        idioma,
        parametros,
      });
      return reply.status(201).send({ conversacion });
    },
  );

  api.get(
    '/api/v1/conversaciones/:numero/datos-plantilla',
    {
      schema: {
        tags: ['plantillas'],
        security,
        summary: "The values of the placeholders for the number's customer (null when unknown)",
        params: numberParams,
        response: { 200: datosPlantillaResponseSchema },
      },
    },
    async (request) => {
      const numero = requirePhone(request.params.numero, config.defaultCountryCode);
      const { clienteId, datos, bajaEn } = await templateDataOf(database, numero, {
        locale: config.presentation.locale,
        currency: config.presentation.currency,
        today: () => todayIn(config.timezone),
      });
      return { numero, cliente_id: clienteId, datos, baja_en: bajaEn?.toISOString() ?? null };
    },
  );

  api.delete(
    '/api/v1/conversaciones/:numero/baja',
    {
      schema: {
        tags: ['plantillas'],
        security,
        summary: "Lift the customer's request for no more messages (they agreed to messages again): templates can be sent again",
        params: numberParams,
      },
    },
    async (request, reply) => {
      await liftOptOut(database, principalOf(request), requirePhone(request.params.numero, config.defaultCountryCode));
      return reply.status(204).send();
    },
  );

  api.get(
    '/api/v1/respuestas-rapidas',
    {
      schema: {
        tags: ['respuestas-rapidas'],
        security,
        summary: 'Canned replies, by atajo',
        response: { 200: respuestasRapidasResponseSchema },
      },
    },
    async () => ({ respuestas_rapidas: (await listCannedReplies(db)).map(replyOut) }),
  );

  api.post(
    '/api/v1/respuestas-rapidas',
    {
      schema: {
        tags: ['respuestas-rapidas'],
        security,
        summary: 'Add a canned reply (admins)',
        body: nuevaRespuestaRapidaSchema,
        response: { 201: respuestaRapidaResponseSchema },
      },
      ...admin,
    },
    async (request, reply) =>
      reply.status(201).send({ respuesta_rapida: replyOut(await addCannedReply(db, database.support, request.body)) }),
  );

  api.patch(
    '/api/v1/respuestas-rapidas/:id',
    {
      schema: {
        tags: ['respuestas-rapidas'],
        security,
        summary: 'Change a canned reply (admins)',
        params: idParams,
        body: cambioRespuestaRapidaSchema,
        response: { 200: respuestaRapidaResponseSchema },
      },
      ...admin,
    },
    async (request) => {
      if (!(await cannedReplyById(db, request.params.id)))
        throw new CharlaError('HTTP_NOT_FOUND', `No canned reply with id ${request.params.id}.`);
      const changed = await changeCannedReply(db, database.support, request.params.id, request.body);
      if (!changed) throw new CharlaError('HTTP_NOT_FOUND', `No canned reply with id ${request.params.id}.`);
      return { respuesta_rapida: replyOut(changed) };
    },
  );

  api.delete(
    '/api/v1/respuestas-rapidas/:id',
    { schema: { tags: ['respuestas-rapidas'], security, summary: 'Delete a canned reply (admins)', params: idParams }, ...admin },
    async (request, reply) => {
      if (!(await deleteCannedReply(db, request.params.id)))
        throw new CharlaError('HTTP_NOT_FOUND', `No canned reply with id ${request.params.id}.`);
      return reply.status(204).send();
    },
  );
}
