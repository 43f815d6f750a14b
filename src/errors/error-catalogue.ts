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
    summary: 'The database could not be reached or opened (for PGlite: another process holds it).',
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
} as const satisfies Record<string, { httpStatus: number; summary: string }>;

export type ErrorCode = keyof typeof errorCatalogue;
