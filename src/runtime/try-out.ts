import type { Config } from '../config/config.js';
import { addFirstAdmin } from '../auth/agents.service.js';
import type { Database } from '../db/database.js';
import { describeDemo, loadDemo } from '../demo/demo.service.js';
import type { Announce, FirstAdmin } from './runtime.js';

/**
 * The embedded database is for trying Charla: a fresh one gets the demo customers and an admin
 * whose password the start banner prints once, so that the inbox can be tried at once.
 */
export async function prepareForTrying(config: Config, database: Database, announce: Announce): Promise<FirstAdmin | null> {
  if (!database.support.embedded) return null;
  const demo = await loadDemo(database, config.timezone, config.defaultCountryCode);
  if (demo) for (const line of describeDemo(demo)) announce(line);
  const admin = await addFirstAdmin(database.kysely, database.support);
  return admin ? { email: admin.email, password: admin.password } : null;
}
