import type { ColumnType, Generated } from 'kysely';

/** Typed rows of the tables Charla reads and writes (names as in the CRM's schema). */
export interface AlembicVersionTable {
  version_num: string;
}

export interface ConversacionesWhatsappTable {
  id: Generated<number>;
  message_id: string | null;
  from_number: string;
  to_number: string;
  message_type: string;
  body: string | null;
  timestamp: Date;
  direccion: 'INBOUND' | 'OUTBOUND';
  cliente_id: number | null;
  procesado: ColumnType<boolean, boolean | undefined, boolean>;
  respuesta_enviada: ColumnType<boolean, boolean | undefined, boolean>;
  respuesta_id: number | null;
  respuesta_bot: string | null;
  respuesta_meta_id: string | null;
  error: string | null;
  creado_en: ColumnType<Date, Date | undefined, Date>;
  actualizado_en: ColumnType<Date, Date | undefined, Date>;
}

export interface ClientesTable {
  id: Generated<number>;
  cedula: string;
  nombres: string;
  telefono: string;
  email: string;
  direccion: string;
  fecha_nacimiento: string;
  ocupacion: string;
  estado: ColumnType<string | null, string | undefined, string>;
  fecha_registro: Date | null;
  fecha_actualizacion: Date | null;
  notas: string | null;
}

/** NUMERIC columns arrive as strings (exact); write numbers or strings. */
type Money = ColumnType<string, string | number, string | number>;

export interface PrestamosTable {
  id: Generated<number>;
  cliente_id: number;
  cedula: string | null;
  nombres: string | null;
  total_financiamiento: Money | null;
  fecha_requerimiento: string | null;
  modalidad_pago: string | null;
  numero_cuotas: number | null;
  cuota_periodo: Money | null;
  tasa_interes: ColumnType<string | null, string | number | undefined, string | number>;
  fecha_base_calculo: string | null;
  producto: string | null;
  estado: ColumnType<string | null, string | undefined, string>;
  fecha_registro: ColumnType<Date | null, Date | undefined, Date>;
  fecha_aprobacion: Date | null;
}

export interface CuotasTable {
  id: Generated<number>;
  prestamo_id: number;
  numero_cuota: number | null;
  fecha_vencimiento: string | null;
  fecha_pago: string | null;
  monto_cuota: Money | null;
  saldo_capital_inicial: Money | null;
  saldo_capital_final: Money | null;
  total_pagado: ColumnType<string | null, string | number | undefined, string | number>;
  dias_mora: ColumnType<number | null, number | undefined, number>;
  estado: ColumnType<string | null, string | undefined, string>;
}

export interface PagosTable {
  id: Generated<number>;
  cedula: string | null;
  cliente_id: number | null;
  prestamo_id: number | null;
  numero_cuota: number | null;
  fecha_pago: Date;
  monto_pagado: Money;
  numero_documento: string | null;
  institucion_bancaria: string | null;
  referencia_pago: string | null;
  conciliado: boolean | null;
  estado: ColumnType<string | null, string | undefined, string>;
}

export interface WhatsappMensajesDetalleTable {
  message_id: string;
  phone_number_id: string | null;
  profile_name: string | null;
  media_id: string | null;
  media_mime_type: string | null;
  context_message_id: string | null;
  reaction_message_id: string | null;
  reply_id: string | null;
  metadata: string | null;
  /** Meta's delivery status of an OUTBOUND message (`sent`, `delivered`, `read`, `failed`), and its time. */
  status: string | null;
  status_timestamp: Date | null;
}

/** Webhook items kept whole because they could not be stored as they came (revision 20261125_05). */
export interface WhatsappCuarentenaTable {
  id: Generated<number>;
  huella: string;
  clase: QuarantineClass;
  message_id: string | null;
  motivo: string;
  contenido: string;
  recibido_en: ColumnType<Date, Date | undefined, Date>;
}

/** What was quarantined: one message, one status, or a whole change whose value was unreadable. */
export type QuarantineClass = 'mensaje' | 'estado' | 'cambio';

export interface WhatsappEstadosPendientesTable {
  id: Generated<number>;
  message_id: string;
  status: string;
  status_timestamp: Date;
  recipient_id: string | null;
  error: string | null;
  creado_en: ColumnType<Date, Date | undefined, Date>;
}

export interface ClientesTelefonosTable {
  cliente_id: number;
  telefono: string;
  telefono_origen: string;
}

/** Who answers a conversation: the bot, or an agent (the bot stays quiet). */
export type Mode = 'bot' | 'agente';

/** What the bot asked an unidentified customer for: the cédula, then the date of birth to confirm it. */
export type VerificationStep = 'cedula' | 'fecha_nacimiento';

export interface WhatsappConversacionesTable {
  wa_number: string;
  cliente_id: number | null;
  modo: ColumnType<Mode, Mode | undefined, Mode>;
  paso_verificacion: VerificationStep | null;
  cliente_candidato_id: number | null;
  intentos_fallidos: ColumnType<number, number | undefined, number>;
  /** When the customer last wrote (the 24-hour window). */
  ultimo_entrante_en: Date | null;
  comprobante_pendiente: ColumnType<boolean, boolean | undefined, boolean>;
  profile_name: string | null;
  actualizado_en: ColumnType<Date, Date | undefined, Date>;
  /** The agent holding the conversation (modo `agente`). */
  agente_id: ColumnType<number | null, number | null | undefined, number | null>;
  /** The id of the newest message agents have read. */
  leido_hasta_id: ColumnType<number | null, number | null | undefined, number | null>;
  /** When an agent linked the number to `cliente_id` (revision 20261127_03): the link outranks the phone index. */
  vinculado_en: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** Inbound messages (reactions aside) newer than `leido_hasta_id` (revision 20261127_05). */
  no_leidos: ColumnType<number, number | undefined, number>;
  /** The newest message Charla sent to the number failed (revision 20261127_05). */
  envio_fallido: ColumnType<boolean, boolean | undefined, boolean>;
  /** Messages in a row the bot did not understand (revision 20261129_01). */
  no_entendidos: ColumnType<number, number | undefined, number>;
  /** What the bot asked an identified customer and waits for (revision 20261129_01). */
  pregunta_pendiente: ColumnType<PendingQuestion | null, PendingQuestion | null | undefined, PendingQuestion | null>;
}

/** What the bot asked an identified customer and waits for: `fecha_pago`, when a customer who cannot pay could. */
export type PendingQuestion = 'fecha_pago';

/**
 * What the bot noted for the agents: a bank reference of a claimed payment, the day a customer
 * could or will pay, a request for no more messages (`baja`); and `alta`, an agent lifting a
 * baja when the customer agreed to messages again.
 */
export type BotNoteKind = 'referencia_pago' | 'fecha_pago' | 'baja' | 'alta';

/** The bot's notes for the agents (revision 20261129_01), read from the customer's words. */
export interface WhatsappNotasTable {
  id: Generated<number>;
  wa_number: string;
  /** The inbound message (`conversaciones_whatsapp.id`) it was read from. */
  entrante_id: number | null;
  tipo: BotNoteKind;
  /** The reference's digits, the day as `YYYY-MM-DD`, `no_escribir` (baja), or the agent's id (alta). */
  valor: string;
  /** As the customer wrote it; for an `alta`, the agent's name. */
  texto: string | null;
  creado_en: ColumnType<Date, Date | undefined, Date>;
}

export interface WhatsappEnviosTable {
  conversacion_id: number;
  /** The inbound message this reply answers (null: an agent's message). */
  entrante_id: number | null;
  wa_number: string;
  /** The message to send: JSON of a `ClientMessage`. */
  contenido: string;
  estado: ColumnType<
    'pendiente' | 'enviado' | 'fallido',
    'pendiente' | 'enviado' | 'fallido' | undefined,
    'pendiente' | 'enviado' | 'fallido'
  >;
  intentos: ColumnType<number, number | undefined, number>;
  proximo_intento_en: ColumnType<Date, Date | undefined, Date>;
  creado_en: ColumnType<Date, Date | undefined, Date>;
  /** The agent who wrote the message (null: the bot). */
  agente_id: ColumnType<number | null, number | null | undefined, number | null>;
}

/** `rol` of charla_agentes and charla_tokens_api: `admin` also manages agents and tokens. */
export type Role = 'admin' | 'agente';

export interface CharlaAgentesTable {
  id: Generated<number>;
  email: string;
  nombre: string;
  clave_hash: string;
  rol: ColumnType<Role, Role | undefined, Role>;
  activo: ColumnType<boolean, boolean | undefined, boolean>;
  creado_en: ColumnType<Date, Date | undefined, Date>;
  actualizado_en: ColumnType<Date, Date | undefined, Date>;
  /** The original system's `users.id` (imported by `charla agents import-legacy`); its tokens' `sub`. */
  usuario_original_id: ColumnType<string | null, string | null | undefined, string | null>;
  ultimo_ingreso_en: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

/** Refresh tokens of the original front end's sign-in (revision 20261128_02_sesiones_jwt). */
export interface CharlaRefrescosTable {
  token_hash: string;
  sesion_hash: string;
  agente_id: number;
  recordar: ColumnType<boolean, boolean | undefined, boolean>;
  expira_en: Date;
  usado_en: Date | null;
  creado_en: ColumnType<Date, Date | undefined, Date>;
}

/** Secrets Charla made for itself (`jwt`: the access tokens' key when JWT_SECRET is not set). */
export interface CharlaClavesTable {
  nombre: string;
  valor: string;
  creado_en: ColumnType<Date, Date | undefined, Date>;
}

export interface CharlaSesionesTable {
  token_hash: string;
  agente_id: number;
  expira_en: Date;
  creado_en: ColumnType<Date, Date | undefined, Date>;
}

export interface CharlaTokensApiTable {
  id: Generated<number>;
  nombre: string;
  token_hash: string;
  rol: ColumnType<Role, Role | undefined, Role>;
  creado_en: ColumnType<Date, Date | undefined, Date>;
  revocado_en: Date | null;
}

/** Who a conversation was handed to, and why: `bot` (the bot handed over), `tomada` (an agent took it), `devuelta` (given back to the bot). */
export type HandoffReason = 'bot' | 'tomada' | 'devuelta';

/** The handoff log (revision 20261127_04): one row each time `whatsapp_conversaciones.modo` changes. */
export interface WhatsappTraspasosTable {
  id: Generated<number>;
  wa_number: string;
  /** Who holds the conversation afterwards. */
  hacia: Mode;
  motivo: HandoffReason;
  /** The agent who took it over or gave it back (null: the bot, or an API token). */
  agente_id: number | null;
  creado_en: Date;
}

/** Each link of a number to a customer (revision 20261127_03_busqueda_y_vinculos): who did it (an agent, or an API token) and when. */
export interface WhatsappVinculosTable {
  id: Generated<number>;
  wa_number: string;
  cliente_id: number;
  /** The customer the number had before (null: none). */
  cliente_anterior_id: number | null;
  agente_id: number | null;
  token_id: number | null;
  creado_en: ColumnType<Date, Date | undefined, Date>;
}

export interface WhatsappEstadisticasTable {
  clave: string;
  hasta_id: number;
  total: ColumnType<string | number, number, number>;
  inbound: ColumnType<string | number, number, number>;
  outbound: ColumnType<string | number, number, number>;
  con_cliente: ColumnType<string | number, number, number>;
  respuestas_enviadas: ColumnType<string | number, number, number>;
  calculado_en: Date;
}

/**
 * The sender numbers of `conversaciones_whatsapp` with their message counts up to the cut (revision
 * 20261128_01; src/api/sender-numbers.repository.ts): filtering by part of a number reads them.
 */
export interface WhatsappRemitentesTable {
  numero: string;
  mensajes: number;
  entrantes: number;
  salientes: number;
}

/** How far a table kept in the background has read `conversaciones_whatsapp` (revision 20261128_01). */
export interface WhatsappCortesTable {
  clave: string;
  hasta_id: number;
  /** Null: never moved (the shipped row). */
  calculado_en: Date | null;
}

/** What changed in the inbox, for the agents' live updates (revision 20261127_01; src/conversations/events.repository.ts). */
export interface WhatsappEventosTable {
  id: Generated<number>;
  /** `mensaje` (a message row stored), `estado` (a delivery status or the sender's outcome), `conversacion` (the conversation changed). */
  tipo: string;
  wa_number: string;
  /** The message row (conversaciones_whatsapp.id) the event is about, if any. */
  conversacion_id: number | null;
  /** Small JSON with the details (`direccion`, `status`, `envio`, `cambio`…). */
  datos: string | null;
  creado_en: ColumnType<Date, Date | undefined, Date>;
}

/** Message templates as Meta last listed them (revision 20261127_02_plantillas); `componentes` is Meta's JSON. */
export interface WhatsappPlantillasTable {
  id: Generated<number>;
  nombre: string;
  idioma: string;
  categoria: string;
  /** Meta's status (APPROVED, PENDING, REJECTED, PAUSED…); DELETED once Meta no longer lists it. */
  estado: string;
  componentes: string;
  meta_id: string | null;
  sincronizado_en: ColumnType<Date, Date | undefined, Date>;
}

/** Canned replies agents pick by `atajo`; `texto` may hold {nombre} {saldo} {proxima_cuota} {fecha_proxima}. */
export interface WhatsappRespuestasRapidasTable {
  id: Generated<number>;
  atajo: string;
  texto: string;
  creado_en: ColumnType<Date, Date | undefined, Date>;
}

export interface Tables {
  alembic_version: AlembicVersionTable;
  conversaciones_whatsapp: ConversacionesWhatsappTable;
  clientes: ClientesTable;
  prestamos: PrestamosTable;
  cuotas: CuotasTable;
  pagos: PagosTable;
  clientes_telefonos: ClientesTelefonosTable;
  whatsapp_mensajes_detalle: WhatsappMensajesDetalleTable;
  whatsapp_conversaciones: WhatsappConversacionesTable;
  whatsapp_envios: WhatsappEnviosTable;
  whatsapp_estados_pendientes: WhatsappEstadosPendientesTable;
  whatsapp_cuarentena: WhatsappCuarentenaTable;
  charla_agentes: CharlaAgentesTable;
  charla_sesiones: CharlaSesionesTable;
  charla_refrescos: CharlaRefrescosTable;
  charla_claves: CharlaClavesTable;
  charla_tokens_api: CharlaTokensApiTable;
  whatsapp_estadisticas: WhatsappEstadisticasTable;
  whatsapp_vinculos: WhatsappVinculosTable;
  whatsapp_plantillas: WhatsappPlantillasTable;
  whatsapp_respuestas_rapidas: WhatsappRespuestasRapidasTable;
  whatsapp_eventos: WhatsappEventosTable;
  whatsapp_traspasos: WhatsappTraspasosTable;
  whatsapp_notas: WhatsappNotasTable;
  whatsapp_remitentes: WhatsappRemitentesTable;
  whatsapp_cortes: WhatsappCortesTable;
}
