import type { Revision } from '../engine/revision.js';
import conversacionesWhatsapp from './20250117_conversaciones_whatsapp.js';
import baseline from './20251114_05_modelos_impago_cuotas.js';
import ingestaWebhook from './20261125_01_ingesta_webhook.js';
import conversacionesBot from './20261125_02_conversaciones_bot.js';
import limiteEnvios from './20261125_03_limite_envios.js';
import agentesApi from './20261125_04_agentes_api.js';
import cuarentenaWebhook from './20261125_05_cuarentena_webhook.js';
import nombresEnEspanol from './20261126_01_nombres_en_espanol.js';
import nombresAgentes from './20261126_02_nombres_agentes.js';
import eventosInbox from './20261127_01_eventos_inbox.js';
import plantillas from './20261127_02_plantillas.js';
import busquedaYVinculos from './20261127_03_busqueda_y_vinculos.js';
import estadisticasInbox from './20261127_04_estadisticas_inbox.js';
import listaInbox from './20261127_05_lista_inbox.js';
import filtroNumeroParcial from './20261128_01_filtro_numero_parcial.js';
import sesionesJwt from './20261128_02_sesiones_jwt.js';
import entendimientoBot from './20261129_01_entendimiento_bot.js';

/** Charla's revisions. Their order here does not matter: `downRevision` decides. */
export const revisions: readonly Revision[] = [
  conversacionesWhatsapp,
  baseline,
  ingestaWebhook,
  conversacionesBot,
  limiteEnvios,
  agentesApi,
  cuarentenaWebhook,
  nombresEnEspanol,
  nombresAgentes,
  eventosInbox,
  plantillas,
  busquedaYVinculos,
  estadisticasInbox,
  listaInbox,
  filtroNumeroParcial,
  sesionesJwt,
  entendimientoBot,
].map((r) => ({
  ...r,
  path: `src/migrations/revisions/${r.revision}.ts`,
}));
