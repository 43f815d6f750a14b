/**
 * Every error code Charla can report, with its HTTP status, what it means for the operator
 * (`summary`, English) and `detalle`: the Spanish sentence an agent reads, answered as `detail`
 * beside `error` (a CharlaError may give a more specific one). docs/errors.md documents the same
 * list; a test keeps the two in step.
 */
export const errorCatalogue = {
  CONFIG_INVALID: {
    httpStatus: 500,
    summary: 'An environment variable is missing or malformed; the message names it and the expected form.',
    detalle: 'Charla no está bien configurado: falta una variable de entorno o no es válida. Avisa al administrador.',
  },
  DATABASE_URL_INVALID: {
    httpStatus: 500,
    summary: 'DATABASE_URL is not postgres://…, mysql://…, pglite:<dir> or pglite:memory.',
    detalle: 'La dirección de la base de datos (DATABASE_URL) no es válida. Avisa al administrador.',
  },
  DATABASE_UNAVAILABLE: {
    httpStatus: 503,
    summary:
      'The database could not be reached or opened; for PGlite: another live process holds it, or the folder is not writable or is a file.',
    detalle: 'La base de datos no responde en este momento. Inténtalo de nuevo en unos minutos; si sigue igual, avisa al administrador.',
  },
  MIGRATION_SCRIPT_INVALID: {
    httpStatus: 500,
    summary: 'The revision scripts are inconsistent: duplicate id, missing parent or a cycle.',
    detalle: 'Las revisiones de la base de datos son incoherentes (repetidas, sin su anterior o en ciclo). Avisa al administrador.',
  },
  MIGRATION_REVISION_UNKNOWN: {
    httpStatus: 500,
    summary: 'A revision id (given on the command line or stored in alembic_version) is not in the scripts.',
    detalle: 'La base de datos está en una revisión que esta versión de Charla no conoce. Avisa al administrador.',
  },
  MIGRATION_REVISION_AMBIGUOUS: {
    httpStatus: 500,
    summary: 'A partial revision id matches several revisions; give more characters.',
    detalle: 'Ese identificador de revisión coincide con varias revisiones; escribe más caracteres.',
  },
  MIGRATION_MULTIPLE_HEADS: {
    httpStatus: 500,
    summary: 'The scripts or the database have several heads; name a target or use "heads".',
    detalle: 'La base de datos tiene varias revisiones finales; indica a cuál llevarla o usa "heads".',
  },
  MIGRATION_TARGET_INVALID: {
    httpStatus: 500,
    summary: 'The upgrade/downgrade target cannot be reached in that direction from the current revision.',
    detalle: 'No se puede llegar a esa revisión en esa dirección desde la revisión actual.',
  },
  MIGRATION_DATA_LOSS: {
    httpStatus: 500,
    summary: 'A downgrade would drop tables that hold rows; re-run with --yes to accept the loss.',
    detalle: 'Volver atrás borraría tablas que tienen datos; repite con --yes si aceptas perderlos.',
  },
  MIGRATION_REFUSED: {
    httpStatus: 500,
    summary: 'A revision refuses to run in this direction (the baseline cannot be downgraded).',
    detalle: 'Esta revisión no se puede ejecutar en esa dirección (la revisión base no se puede deshacer).',
  },
  MIGRATION_FAILED: {
    httpStatus: 500,
    summary: 'A revision failed while running; the message says which and why.',
    detalle: 'Una revisión de la base de datos falló al ejecutarse. Avisa al administrador.',
  },
  MIGRATION_OFFLINE_UNSUPPORTED: {
    httpStatus: 500,
    summary: 'The requested --sql form needs a start revision or is not available for this command.',
    detalle: 'Ese script SQL no se puede generar así: indica una revisión de inicio o usa otro comando.',
  },
  SCHEMA_DRIFT: {
    httpStatus: 500,
    summary: '`charla db check` found differences between the live schema and the revisions.',
    detalle: 'La estructura de la base de datos no coincide con la que Charla espera. Avisa al administrador.',
  },
  HTTP_NOT_FOUND: {
    httpStatus: 404,
    summary: 'No such route or resource; check the path and the id.',
    detalle: 'No existe lo que se pidió: revisa la dirección y el número o identificador.',
  },
  HTTP_BAD_REQUEST: {
    httpStatus: 400,
    summary: 'The request is malformed (parameters, body or content type); the message names the problem.',
    detalle: 'La solicitud no es válida: revisa los datos enviados.',
  },
  AUTH_REQUIRED: {
    httpStatus: 401,
    summary: 'The endpoint needs credentials: send `Authorization: Bearer <token>`.',
    detalle: 'Tu sesión no es válida o ya expiró: vuelve a iniciar sesión.',
  },
  LOGIN_FAILED: {
    httpStatus: 401,
    summary: 'The e-mail and password do not match an active agent (which of the two is wrong is not said).',
    detalle: 'Correo o contraseña incorrectos.',
  },
  LOGIN_RATE_LIMITED: {
    httpStatus: 429,
    summary: 'Too many failed sign-ins for this e-mail or from this address; wait the seconds in Retry-After.',
    detalle: 'Demasiados intentos fallidos de inicio de sesión. Espera unos minutos antes de volver a intentarlo.',
  },
  REFRESH_TOKEN_INVALID: {
    httpStatus: 401,
    summary: 'The refresh token is unknown, expired, or its session ended (signed out, password changed, deactivated); sign in again.',
    detalle: 'La sesión terminó o venció. Inicia sesión de nuevo.',
  },
  REFRESH_TOKEN_REUSED: {
    httpStatus: 401,
    summary:
      'A refresh token that had been used already was presented again (stolen, or two tabs refreshing at once): its whole session was ended; sign in again.',
    detalle: 'Por seguridad se cerró la sesión: se usó de nuevo un permiso de renovación ya usado. Inicia sesión de nuevo.',
  },
  FORBIDDEN: {
    httpStatus: 403,
    summary: 'Signed in, but the role (agent or admin) does not allow this; ask an admin.',
    detalle: 'No tienes permiso para hacer esto; pídeselo a un administrador.',
  },
  INPUT_INVALID: {
    httpStatus: 400,
    summary: 'A value is empty, too long or holds characters that cannot be stored (such as NUL); the message names the field.',
    detalle: 'Un dato está vacío, es demasiado largo o tiene caracteres que no se pueden guardar.',
  },
  ORIGIN_REJECTED: {
    httpStatus: 403,
    summary: "A signed-in change came from another site's page (Origin / Sec-Fetch-Site); use Charla's own page or a bearer token.",
    detalle: 'Charla rechazó la petición porque no venía de su propia página. Recarga la página e inténtalo de nuevo.',
  },
  LAST_ADMIN: {
    httpStatus: 409,
    summary: 'The change would leave no active admin; make another agent admin first.',
    detalle: 'No se puede: Charla se quedaría sin ningún administrador activo. Nombra antes a otro administrador.',
  },
  CUSTOMER_UNKNOWN: {
    httpStatus: 422,
    summary: 'The cliente_id given does not exist in clientes; nothing was sent or stored.',
    detalle: 'El cliente indicado no existe; no se envió ni se guardó nada.',
  },
  PORT_IN_USE: {
    httpStatus: 500,
    summary: 'Another program listens on HOST:PORT already; stop it or set PORT to a free port.',
    detalle: 'Otro programa ya usa el puerto de Charla. Avisa al administrador.',
  },
  AGENT_EXISTS: {
    httpStatus: 409,
    summary: 'An agent with that e-mail exists already; change that agent instead.',
    detalle: 'Ya existe un agente con ese correo; modifica ese agente en lugar de crear otro.',
  },
  OUTSIDE_SERVICE_WINDOW: {
    httpStatus: 422,
    summary: 'The customer has not written in the last 24 hours: Meta only accepts an approved template; nothing was sent.',
    detalle:
      'El cliente no ha escrito en las últimas 24 horas, así que WhatsApp solo permite enviarle una plantilla aprobada. El mensaje no se envió.',
  },
  TEMPLATE_NOT_APPROVED: {
    httpStatus: 422,
    summary: 'The template is not in the registry as APPROVED in that language; sync the templates or pick another. Nothing was sent.',
    detalle: 'Esa plantilla no está aprobada por WhatsApp en ese idioma; sincroniza las plantillas o elige otra. No se envió nada.',
  },
  CUSTOMER_OPTED_OUT: {
    httpStatus: 409,
    summary:
      'The customer asked for no more messages (the bot noted a baja): templates are not sent to the number. Replies while they write within 24 hours still are. Nothing was sent.',
    detalle:
      'El cliente pidió que no le escribamos más: no se le envían plantillas. Si vuelve a escribir, se le puede responder durante 24 horas. No se envió nada.',
  },
  TEMPLATES_SYNC_FAILED: {
    httpStatus: 502,
    summary:
      "Meta's template list could not be read (unreachable, an error, an unreadable answer); the message says which. Nothing changed.",
    detalle: 'No se pudo leer la lista de plantillas de WhatsApp y no cambió nada. Inténtalo de nuevo más tarde.',
  },
  CANNED_REPLY_EXISTS: {
    httpStatus: 409,
    summary: 'A canned reply with that atajo exists already; change that one or choose another atajo.',
    detalle: 'Ya existe una respuesta rápida con ese atajo; modifica esa o elige otro atajo.',
  },
  WEBHOOK_VERIFICATION_FAILED: {
    httpStatus: 403,
    summary: "Meta's verification request did not match WHATSAPP_VERIFY_TOKEN (or no token is configured).",
    detalle: 'La verificación del webhook de WhatsApp no coincide con el token configurado.',
  },
  WEBHOOK_SIGNATURE_INVALID: {
    httpStatus: 401,
    summary: 'X-Hub-Signature-256 is missing or is not the HMAC of the body with WHATSAPP_APP_SECRET; nothing was stored.',
    detalle: 'La firma de la notificación de WhatsApp no es válida; no se guardó nada.',
  },
  WEBHOOK_NOT_CONFIGURED: {
    httpStatus: 503,
    summary: 'WHATSAPP_APP_SECRET is not set, so no delivery can be verified; set it and restart.',
    detalle: 'El webhook de WhatsApp no está configurado (falta el secreto de la aplicación); no se puede recibir nada.',
  },
  SIMULATOR_DELIVERY_REFUSED: {
    httpStatus: 502,
    summary:
      "Charla's own webhook refused the simulated message (the message gives the webhook's error code and reason); nothing was stored.",
    detalle: 'El simulador no pudo entregar el mensaje a Charla; no se guardó nada.',
  },
  WEBHOOK_PAYLOAD_TOO_LARGE: {
    httpStatus: 413,
    summary: 'The body is larger than the 3 MB webhook limit; nothing was stored.',
    detalle: 'Lo enviado supera el límite de 3 MB; no se guardó nada.',
  },
  WEBHOOK_PAYLOAD_INVALID: {
    httpStatus: 400,
    summary: 'The body is not JSON, or not a whatsapp_business_account notification; nothing was stored.',
    detalle: 'Lo recibido no es una notificación de WhatsApp válida; no se guardó nada.',
  },
  INGEST_FAILED: {
    httpStatus: 503,
    summary: 'The delivery could not be committed to the database; Meta will deliver it again.',
    detalle: 'No se pudo guardar la notificación en la base de datos; WhatsApp la enviará de nuevo.',
  },
  INTERNAL_ERROR: {
    httpStatus: 500,
    summary: 'An unexpected failure; the log has the details. It is safe to retry.',
    detalle: 'Ocurrió un error inesperado y la operación no se completó. Puedes intentarlo de nuevo.',
  },
} as const satisfies Record<string, { httpStatus: number; summary: string; detalle: string }>;

export type ErrorCode = keyof typeof errorCatalogue;
