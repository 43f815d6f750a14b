import type { Config } from '../config/config.js';
import { addFirstAdmin } from '../auth/agents.service.js';
import type { Database } from '../db/database.js';
import { describeDemo, loadDemo } from '../demo/demo.service.js';
import type { Announce } from './runtime.js';

/**
 * The embedded database is for trying Charla: a fresh one gets the demo customers and an admin
 * whose password is printed once, so that the API and inbox can be tried at once.
 */
export async function prepareForTrying(config: Config, database: Database, announce: Announce): Promise<void> {
  if (!database.support.embedded) return;
  const demo = await loadDemo(database, config.timezone, config.defaultCountryCode);
  if (demo) for (const line of describeDemo(demo)) announce(line);
  const admin = await addFirstAdmin(database.kysely, database.support);
  if (admin) {
    announce(
      `Sign in as ${admin.email} with the password ${admin.password} (shown only now; change it or add agents with \`charla agents add\`).`,
    );
  }
}
