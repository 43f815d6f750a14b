import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from '../config/config.js';
import type { Database } from '../db/database.js';
import { SIGNED_IN } from '../http/authentication.js';
import { eventsHeadersSchema, eventsQuerySchema, type LiveEvent, type RestartEvent } from './events.schemas.js';
import { LiveEventHub, pruneOldEvents, replayAfter, type Replay } from './live-events.service.js';

export { liveEventSchema, restartEventSchema } from './events.schemas.js';

/** How long the browser waits before reconnecting (the SSE `retry:` hint), ms. */
const RETRY_MS = 2_000;
/** A comment line this often keeps proxies and the browser from closing a quiet stream. */
export const HEARTBEAT_MS = 15_000;
/** A client that reads slower than this much unsent output is dropped; it reconnects with Last-Event-ID. */
const MAX_UNSENT_BYTES = 1 << 20;
/** How often old events are deleted, and the first time after the server starts listening. */
const PRUNE_EVERY_MS = 5 * 60_000;
const PRUNE_FIRST_MS = 30_000;

function eventFrame(event: LiveEvent): string {
  return `id: ${event.id}\nevent: ${event.tipo}\ndata: ${JSON.stringify(event)}\n\n`;
}

function restartFrame(restart: RestartEvent): string {
  return `${restart.ultimo_id === null ? '' : `id: ${restart.ultimo_id}\n`}event: reinicio\ndata: ${JSON.stringify(restart)}\n\n`;
}

/**
 * `GET /api/v1/eventos`: the inbox's live events as Server-Sent Events (docs/api.md, "Live
 * events"), for signed-in agents (the session cookie works: EventSource sends it). One hub per
 * process reads the events table and fans out to the open streams; streams end when the client
 * goes and when the server closes, and the web process deletes events older than
 * INBOX_EVENTS_KEEP_HOURS.
 */
export async function eventsRoutes(
  app: FastifyInstance,
  options: { config: Config; database: Database; heartbeatMs?: number },
): Promise<void> {
  const { config, database } = options;
  const heartbeatMs = options.heartbeatMs ?? HEARTBEAT_MS;
  const hub = new LiveEventHub(database, { onError: (error, what) => app.log.error({ err: error }, `live events: ${what} failed`) });
  const open = new Set<() => void>();
  let pruning: NodeJS.Timeout | undefined;
  const prune = async (): Promise<void> => {
    try {
      const deleted = await pruneOldEvents(database, config.inboxEventsKeepMs);
      if (deleted > 0) app.log.info({ deleted }, 'old inbox events deleted');
    } catch (error) {
      app.log.error({ err: error }, 'deleting old inbox events failed; tried again later');
    }
  };
  app.addHook('onListen', async () => {
    pruning = setTimeout(function again() {
      void prune().finally(() => {
        if (pruning) pruning = setTimeout(again, PRUNE_EVERY_MS).unref();
      });
    }, PRUNE_FIRST_MS).unref();
  });
  // Before the server waits for requests in flight: an open stream is one that never ends by itself.
  app.addHook('preClose', async () => {
    for (const end of [...open]) end();
  });
  app.addHook('onClose', async () => {
    clearTimeout(pruning);
    pruning = undefined;
    await hub.close();
  });

  const api = app.withTypeProvider<ZodTypeProvider>();
  api.addHook('onRequest', app.requireSignIn);
  api.get(
    '/api/v1/eventos',
    {
      schema: {
        tags: ['eventos'],
        security: SIGNED_IN,
        summary: 'Live events of the inbox (Server-Sent Events: text/event-stream)',
        description:
          'Each message is `id: <id>`, `event: mensaje|estado|conversacion`, `data: <JSON of an event>`; `event: reinicio` when missed events cannot be replayed. Replays the stored events after `Last-Event-ID` (or `?desde=`), then streams new ones; a comment every 15 s.',
        querystring: eventsQuerySchema,
        headers: eventsHeadersSchema,
      },
    },
    async (request, reply) => {
      const after = request.headers['last-event-id'] ?? request.query.desde ?? null;
      let live = false;
      const waiting: LiveEvent[] = [];
      let deliver: (events: LiveEvent[]) => void = (events) => waiting.push(...events);
      const unsubscribe = await hub.subscribe((events) => (live ? deliver(events) : waiting.push(...events)));
      let replay: Replay | null;
      try {
        replay = after === null ? null : await replayAfter(database, after);
      } catch (error) {
        unsubscribe();
        throw error;
      }

      reply.hijack();
      const res = reply.raw;
      let ended = false;
      const end = (): void => {
        if (ended) return;
        ended = true;
        clearInterval(heartbeat);
        unsubscribe();
        open.delete(end);
        if (!res.writableEnded) res.end();
      };
      const write = (text: string): void => {
        if (ended) return;
        res.write(text);
        if (res.writableLength > MAX_UNSENT_BYTES) end();
      };
      const heartbeat = setInterval(() => write(': ping\n\n'), heartbeatMs);
      res.on('close', end);
      open.add(end);
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      write(`retry: ${RETRY_MS}\n\n`);

      const sent = new Set<number>();
      if (replay?.kind === 'reinicio') write(restartFrame(replay.reinicio));
      else
        for (const event of replay?.events ?? []) {
          write(eventFrame(event));
          sent.add(event.id);
        }
      deliver = (events) => {
        for (const event of events) if (!sent.has(event.id)) write(eventFrame(event));
      };
      live = true;
      deliver(waiting.splice(0));
    },
  );
}
