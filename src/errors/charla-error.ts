import { errorCatalogue, type ErrorCode } from './error-catalogue.js';

/**
 * The only error type Charla throws on purpose. Each carries a stable `code` from the catalogue,
 * the HTTP status an API would answer with, a message that tells the operator what to do
 * (English), and `detalle`, the Spanish sentence an agent reads: the catalogue's for the code
 * unless a more specific one is given (naming the field, the number, the id).
 */
export class CharlaError extends Error {
  readonly code: ErrorCode;
  readonly httpStatus: number;
  readonly detalle: string;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; detalle?: string }) {
    super(message, options);
    this.name = 'CharlaError';
    this.code = code;
    this.httpStatus = errorCatalogue[code].httpStatus;
    this.detalle = options?.detalle ?? errorCatalogue[code].detalle;
  }
}

/** Wraps anything thrown into an `Error`, keeping the original as `cause`. */
export function toError(thrown: unknown): Error {
  if (thrown instanceof Error) return thrown;
  return new Error(`Non-error thrown: ${String(thrown)}`, { cause: thrown });
}
