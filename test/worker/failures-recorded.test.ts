import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { decide } from '../../src/bot/bot.service.js';
import type { Database } from '../../src/db/database.js';
import { GRAPH_API_VERSION } from '../../src/config/config.js';
import { GraphClient } from '../../src/graph/graph-client.js';
import { BotWorker, MAX_ATTEMPTS } from '../../src/worker/bot-worker.js';
import { ReplySender } from '../../src/worker/reply-sender.js';
import { graphError, GraphStandIn } from '../helpers/graph-stand-in.js';
import { storeTexts } from '../helpers/messages.js';
import { migratorFor } from '../helpers/migrations.js';
import { describeEachDatabase } from '../helpers/test-database.js';

const presentation = { locale: 'es-VE', currency: 'USD', howToPay: 'Transferencia' };
const ANA = '584121234567';
const LUIS = '584141112233';

/** A logger that keeps what it is given. */
function recordingLog() {
  const lines: { level: string; object: Record<string, unknown>; message: string }[] = [];
  const at = (level: string) => (object: Record<string, unknown>, text: string) => lines.push({ level, object, message: text });
  return { lines, log: { warn: at('warn'), error: at('error'), info: at('info') } as never };
}

describeEachDatabase('the worker and the sender record what they cannot do', ({ fresh }) => {
  let database: Database;
  beforeEach(async () => {
    database = await (await fresh()).open();
    await migratorFor(database).migrator.upgrade('head');
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await database.close();
  });

  /** Messages from `from` written 10 s ago, stored as the webhook does. */
  const receive = (from: string, ...texts: string[]): Promise<string[]> =>
    storeTexts(database, from, texts, Math.floor(Date.now() / 1000) - 10);
  const rows = (ids: string[]) =>
    database.kysely
      .selectFrom('conversaciones_whatsapp')
      .select(['message_id', 'procesado', 'respuesta_id', 'error'])
      .where('message_id', 'in', ids)
      .orderBy('timestamp')
      .execute();

  it('skips and records a message the bot cannot process after a few attempts, then answers the rest', async () => {
    const poisoned = await receive(ANA, 'veneno', 'hola');
    const healthy = await receive(LUIS, 'hola');
    const { lines, log } = recordingLog();
    let clock = Date.now();
    vi.spyOn(Date, 'now').mockImplementation(() => clock);
    const worker = new BotWorker(database, {
      presentation,
      today: () => '2026-11-25',
      log,
      decide: async (inbound, ...rest) => {
        if (inbound.body === 'veneno') throw new Error('the bot cannot read this message');
        return decide(inbound, ...rest);
      },
    });
    await worker.runOnce();
    // Luis is answered at once, whatever happens to Ana.
    expect((await rows(healthy))[0]?.respuesta_id).not.toBeNull();
    for (let attempt = 2; attempt <= MAX_ATTEMPTS + 1; attempt++) {
      clock += 10_000;
      await worker.runOnce();
    }
    const [bad, next] = await rows(poisoned);
    expect(Boolean(bad?.procesado)).toBe(true);
    expect(bad?.respuesta_id).toBeNull();
    expect(bad?.error).toContain(`No se pudo procesar tras ${MAX_ATTEMPTS} intentos: the bot cannot read this message`);
    expect(Boolean(next?.procesado)).toBe(true);
    expect(next?.respuesta_id).not.toBeNull();
    expect(lines.filter((l) => l.level === 'warn' && l.message.startsWith('message skipped'))).toHaveLength(1);
    expect(JSON.stringify(lines)).not.toContain(ANA);
  });

  it('logs one line, with the code and the row id, for each reply that ends failed', async () => {
    const graph = new GraphStandIn();
    const graphUrl = await graph.start();
    try {
      await receive(ANA, 'hola');
      await new BotWorker(database, { presentation, today: () => '2026-11-25' }).runOnce();
      graph.respond(graphError(401, 190, 'Invalid OAuth access token'));
      const { lines, log } = recordingLog();
      const client = new GraphClient({
        apiUrl: graphUrl,
        version: GRAPH_API_VERSION,
        phoneNumberId: '1',
        accessToken: 't',
        sleep: async () => {},
      });
      await new ReplySender(database, { graph: client, log, maxAttempts: 1 }).runOnce();
      const failed = lines.filter((l) => l.level === 'warn');
      expect(failed).toHaveLength(1);
      expect(failed[0]?.message).toBe('reply not sent: marked failed');
      expect(failed[0]?.object).toMatchObject({ code: 190 });
      expect(typeof failed[0]?.object.conversacion_id).toBe('number');
      expect(JSON.stringify(lines)).not.toContain(ANA);
    } finally {
      await graph.stop();
    }
  });

  it('logs a reply that fails on the network, once it gives up', async () => {
    await receive(ANA, 'hola');
    await new BotWorker(database, { presentation, today: () => '2026-11-25' }).runOnce();
    const { lines, log } = recordingLog();
    const client = new GraphClient({
      apiUrl: 'http://127.0.0.1:9',
      version: GRAPH_API_VERSION,
      phoneNumberId: '1',
      accessToken: 't',
      sleep: async () => {},
    });
    await new ReplySender(database, { graph: client, log, maxAttempts: 1 }).runOnce();
    expect(lines.filter((l) => l.level === 'warn').map((l) => l.object.code)).toEqual(['network']);
  });
});
