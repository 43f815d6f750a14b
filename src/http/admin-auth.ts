import type { FastifyRequest } from 'fastify';
import type { Config } from '../config/config.js';
import { CharlaError } from '../errors/charla-error.js';
import { secretsEqual } from '../webhook/signature.js';

/**
 * `Authorization: Bearer <CHARLA_ADMIN_TOKEN>` — the static admin token, until agents sign in.
 * With no token configured, nothing behind it is reachable.
 */
export function requireAdmin(config: Config) {
  return async (request: FastifyRequest): Promise<void> => {
    const header = request.headers.authorization ?? '';
    const token = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : '';
    if (!config.adminToken || token === '' || !secretsEqual(token, config.adminToken)) {
      throw new CharlaError('AUTH_REQUIRED', 'Send Authorization: Bearer <CHARLA_ADMIN_TOKEN>.');
    }
  };
}
