import type { BaseLogger } from 'pino';
import { todayIn, type Config } from '../config/config.js';
import type { Database } from '../db/database.js';
import { CharlaError } from '../errors/charla-error.js';
import { GraphClient } from '../graph/graph-client.js';
import { createOutboundLimiter } from '../graph/outbound-limiter.js';
import { startSandboxGraph, type SandboxGraph } from '../sandbox/sandbox-graph.js';
import { loadBotTexts } from '../bot/bot-texts.js';
import type { BotTexts } from '../bot/replies.js';
import { shippedUnderstanding } from '../understanding/shipped-model.js';
import type { Understanding } from '../understanding/understanding.js';
import { BotWorker } from '../worker/bot-worker.js';
import { ReplySender } from '../worker/reply-sender.js';
import { Wakeup } from '../worker/wakeup.js';

export interface WorkerRuntime {
  /** Set when no WHATSAPP_ACCESS_TOKEN is configured: the simulated Graph API in use. */
  sandbox: SandboxGraph | undefined;
  stop(): Promise<void>;
}

type Log = Pick<BaseLogger, 'info' | 'warn' | 'error'>;

/** How long an idle loop waits before looking for work again (unless woken earlier). */
const IDLE_MS = 50;

/** Groups of customers answered at once by one process: one connection each. */
const WORKER_CONCURRENCY = 6;

/** What the bot needs before it answers: the lender's texts (checked) and the understanding. */
export interface PreparedBot {
  texts: BotTexts;
  understanding: Understanding;
  /** Whether the understanding was loaded from the build's weights or trained now, and how long it took. */
  source: 'built' | 'trained';
  ms: number;
}

/**
 * Reads BOT_TEXTS_FILE and loads the understanding (the build's weights: a fraction of a second;
 * trained when they do not match the code: a few seconds, blocking; docs/bot.md), so that a
 * process does it before it says it is ready rather than while messages wait.
 */
export function prepareBot(config: Config): PreparedBot {
  const texts = loadBotTexts(config.botTextsFile);
  const { understanding, source, ms } = shippedUnderstanding();
  return { texts, understanding, source, ms };
}

/**
 * Runs the bot worker and the reply sender until stopped. Without WHATSAPP_ACCESS_TOKEN they send
 * to the built-in sandbox, which posts statuses back to `webhookUrl`.
 */
export async function startWorkers(
  config: Config,
  database: Database,
  log: Log,
  webhookUrl: string,
  options: {
    statusDelaysMs?: [number, number, number];
    /** Notified by this process's webhook when messages are stored, so they are answered at once. */
    inbound?: Wakeup;
    /** The bot prepared beforehand (prepareBot); prepared here otherwise. */
    bot?: PreparedBot;
  } = {},
): Promise<WorkerRuntime> {
  let sandbox: SandboxGraph | undefined;
  let apiUrl = config.graph.apiUrl;
  if (!config.graph.accessToken) {
    if (!config.whatsapp.appSecret) {
      throw new CharlaError(
        'CONFIG_INVALID',
        'Sandbox mode (no WHATSAPP_ACCESS_TOKEN) signs the statuses it posts back with WHATSAPP_APP_SECRET: set the same secret for serve and worker.',
      );
    }
    sandbox = await startSandboxGraph({
      webhookUrl,
      appSecret: config.whatsapp.appSecret,
      phoneNumberId: config.graph.phoneNumberId,
      displayPhoneNumber: '15550000000',
      ...(options.statusDelaysMs ? { statusDelaysMs: options.statusDelaysMs } : {}),
      onError: (error) => log.warn({ err: error }, 'sandbox could not post a status'),
    });
    apiUrl = sandbox.url;
  }
  const graph = new GraphClient({
    apiUrl,
    version: config.graph.version,
    phoneNumberId: config.graph.phoneNumberId,
    accessToken: config.graph.accessToken ?? 'sandbox',
    testRecipient: config.graph.testRecipient,
  });
  const bot = options.bot ?? prepareBot(config);
  const worker = new BotWorker(database, {
    presentation: { ...config.presentation, texts: bot.texts },
    understanding: bot.understanding,
    today: () => todayIn(config.timezone),
    concurrency: database.support.concurrentTransactions ? WORKER_CONCURRENCY : 1,
    log,
  });
  const limiter = createOutboundLimiter(database, config.graph.phoneNumberId, config.graph.outboundPerSecond);
  const sender = new ReplySender(database, { graph, limiter, leaseMs: config.sendLeaseMs, log });

  let running = true;
  const inbound = options.inbound ?? new Wakeup();
  const replies = new Wakeup();
  const loop = async (name: string, step: () => Promise<number>, idle: Wakeup): Promise<void> => {
    while (running) {
      try {
        if ((await step()) === 0) await idle.wait(IDLE_MS);
      } catch (error) {
        log.error({ err: error }, `${name} failed; retrying in 1 s`);
        await pause(1000);
      }
    }
  };
  const answer = async (): Promise<number> => {
    const processed = await worker.runOnce();
    if (processed > 0) replies.notify();
    return processed;
  };
  const loops = [loop('bot worker', answer, inbound), loop('reply sender', () => sender.runOnce(), replies)];
  return {
    sandbox,
    stop: async () => {
      running = false;
      inbound.notify();
      replies.notify();
      await Promise.all(loops);
      await sandbox?.close();
    },
  };
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
