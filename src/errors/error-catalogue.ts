/**
 * Every error code Charla can report, with its HTTP status and what it means for the operator.
 * docs/errors.md documents the same list; a test keeps the two in step.
 */
export const errorCatalogue = {
  CONFIG_INVALID: {
    httpStatus: 500,
    summary: 'An environment variable is missing or malformed; the message names it and the expected form.',
  },
  DATABASE_URL_INVALID: {
    httpStatus: 500,
    summary: 'DATABASE_URL is not postgres://…, mysql://…, pglite:<dir> or pglite:memory.',
  },
  DATABASE_UNAVAILABLE: {
    httpStatus: 503,
    summary:
      'The database could not be reached or opened; for PGlite: another live process holds it, or the folder is not writable or is a file.',
  },
  MIGRATION_SCRIPT_INVALID: {
    httpStatus: 500,
    summary: 'The revision scripts are inconsistent: duplicate id, missing parent or a cycle.',
  },
  MIGRATION_REVISION_UNKNOWN: {
    httpStatus: 500,
    summary: 'A revision id (given on the command line or stored in alembic_version) is not in the scripts.',
  },
  MIGRATION_REVISION_AMBIGUOUS: {
    httpStatus: 500,
    summary: 'A partial revision id matches several revisions; give more characters.',
  },
  MIGRATION_MULTIPLE_HEADS: {
    httpStatus: 500,
    summary: 'The scripts or the database have several heads; name a target or use "heads".',
  },
  MIGRATION_TARGET_INVALID: {
    httpStatus: 500,
    summary: 'The upgrade/downgrade target cannot be reached in that direction from the current revision.',
  },
  MIGRATION_DATA_LOSS: {
    httpStatus: 500,
    summary: 'A downgrade would drop tables that hold rows; re-run with --yes to accept the loss.',
  },
  MIGRATION_REFUSED: {
    httpStatus: 500,
    summary: 'A revision refuses to run in this direction (the baseline cannot be downgraded).',
  },
  MIGRATION_FAILED: {
    httpStatus: 500,
    summary: 'A revision failed while running; the message says which and why.',
  },
  MIGRATION_OFFLINE_UNSUPPORTED: {
    httpStatus: 500,
    summary: 'The requested --sql form needs a start revision or is not available for this command.',
  },
  SCHEMA_DRIFT: {
    httpStatus: 500,
    summary: '`charla db check` found differences between the live schema and the revisions.',
  },
  HTTP_NOT_FOUND: {
    httpStatus: 404,
    summary: 'No such route or resource; check the path and the id.',
  },
  HTTP_BAD_REQUEST: {
    httpStatus: 400,
    summary: 'The request is malformed (parameters, body or content type); the message names the problem.',
  },
  AUTH_REQUIRED: {
    httpStatus: 401,
    summary: 'The endpoint needs credentials: send `Authorization: Bearer <token>`.',
  },
  LOGIN_FAILED: {
    httpStatus: 401,
    summary: 'The e-mail and password do not match an active agent (which of the two is wrong is not said).',
  },
  LOGIN_RATE_LIMITED: {
    httpStatus: 429,
    summary: 'Too many failed sign-ins for this e-mail or from this address; wait the seconds in Retry-After.',
  },
  FORBIDDEN: {
    httpStatus: 403,
    summary: 'Signed in, but the role (agent or admin) does not allow this; ask an admin.',
  },
  INPUT_INVALID: {
    httpStatus: 400,
    summary: 'A value is empty, too long or holds characters that cannot be stored (such as NUL); the message names the field.',
  },
  ORIGIN_REJECTED: {
    httpStatus: 403,
    summary: "A signed-in change came from another site's page (Origin / Sec-Fetch-Site); use Charla's own page or a bearer token.",
  },
  LAST_ADMIN: {
    httpStatus: 409,
    summary: 'The change would leave no active admin; make another agent admin first.',
  },
  CUSTOMER_UNKNOWN: {
    httpStatus: 422,
    summary: 'The cliente_id given does not exist in clientes; nothing was sent or stored.',
  },
  PORT_IN_USE: {
    httpStatus: 500,
    summary: 'Another program listens on HOST:PORT already; stop it or set PORT to a free port.',
  },
  AGENT_EXISTS: {
    httpStatus: 409,
    summary: 'An agent with that e-mail exists already; change that agent instead.',
  },
  OUTSIDE_SERVICE_WINDOW: {
    httpStatus: 422,
    summary: 'The customer has not written in the last 24 hours: Meta only accepts an approved template; nothing was sent.',
  },
  TEMPLATE_NOT_APPROVED: {
    httpStatus: 422,
    summary: 'The template is not in the registry as APPROVED in that language; sync the templates or pick another. Nothing was sent.',
  },
  TEMPLATES_SYNC_FAILED: {
    httpStatus: 502,
    summary:
      "Meta's template list could not be read (unreachable, an error, an unreadable answer); the message says which. Nothing changed.",
  },
  CANNED_REPLY_EXISTS: {
    httpStatus: 409,
    summary: 'A canned reply with that atajo exists already; change that one or choose another atajo.',
  },
  WEBHOOK_VERIFICATION_FAILED: {
    httpStatus: 403,
    summary: "Meta's verification request did not match WHATSAPP_VERIFY_TOKEN (or no token is configured).",
  },
  WEBHOOK_SIGNATURE_INVALID: {
    httpStatus: 401,
    summary: 'X-Hub-Signature-256 is missing or is not the HMAC of the body with WHATSAPP_APP_SECRET; nothing was stored.',
  },
  WEBHOOK_NOT_CONFIGURED: {
    httpStatus: 503,
    summary: 'WHATSAPP_APP_SECRET is not set, so no delivery can be verified; set it and restart.',
  },
  SIMULATOR_DELIVERY_REFUSED: {
    httpStatus: 502,
    summary:
      "Charla's own webhook refused the simulated message (the message gives the webhook's error code and reason); nothing was stored.",
  },
  WEBHOOK_PAYLOAD_TOO_LARGE: {
    httpStatus: 413,
    summary: 'The body is larger than the 3 MB webhook limit; nothing was stored.',
  },
  WEBHOOK_PAYLOAD_INVALID: {
    httpStatus: 400,
    summary: 'The body is not JSON, or not a whatsapp_business_account notification; nothing was stored.',
  },
  INGEST_FAILED: {
    httpStatus: 503,
    summary: 'The delivery could not be committed to the database; Meta will deliver it again.',
  },
  INTERNAL_ERROR: {
    httpStatus: 500,
    summary: 'An unexpected failure; the log has the details. It is safe to retry.',
  },
} as const satisfies Record<string, { httpStatus: number; summary: string }>;

export type ErrorCode = keyof typeof errorCatalogue;
