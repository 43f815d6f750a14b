import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sign } from '../webhook/signature.js';
import { sandboxTemplatePage } from './sandbox-templates.js';

export interface SandboxGraphOptions {
  /** Where the simulated Meta posts statuses: Charla's own webhook. */
  webhookUrl: string;
  /** Statuses are signed like Meta's, so they take the real webhook path. */
  appSecret: string;
  phoneNumberId: string;
  displayPhoneNumber: string;
  /** Delays of the sent, delivered and read statuses after a message is accepted. */
  statusDelaysMs?: [number, number, number];
  onError?: (error: unknown) => void;
}

/**
 * How many sent messages the sandbox remembers. It runs as long as `charla start` does (a demo can
 * stay up for weeks) and each entry holds the whole message, so the record is bounded; its readers
 * (the customer simulator, tests) only look at the latest few, and 1,000 entries are a few hundred
 * KB at most.
 */
export const SANDBOX_SENT_KEPT = 1000;

export interface SandboxGraph {
  /** Use as WHATSAPP_API_URL. */
  url: string;
  /** The last SANDBOX_SENT_KEPT messages accepted, newest last (for the customer simulator and tests). */
  sent: { wamid: string; to: string; body: Record<string, unknown> }[];
  close(): Promise<void>;
}

/**
 * A simulated Graph API for trying Charla without a Meta account: accepts messages, answers with
 * `wamid`s, and later posts `sent`, `delivered` and `read` back through the real, signed webhook;
 * lists its message templates (`GET …/message_templates`, sandbox-templates.ts).
 */
export async function startSandboxGraph(options: SandboxGraphOptions): Promise<SandboxGraph> {
  const sent: SandboxGraph['sent'] = [];
  const timers = new Set<NodeJS.Timeout>();
  const [sentAfter, deliveredAfter, readAfter] = options.statusDelaysMs ?? [200, 600, 2000];

  const postStatus = async (wamid: string, to: string, status: 'sent' | 'delivered' | 'read'): Promise<void> => {
    const body = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: 'sandbox',
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: options.displayPhoneNumber, phone_number_id: options.phoneNumberId },
                statuses: [{ id: wamid, status, timestamp: String(Math.floor(Date.now() / 1000)), recipient_id: to }],
              },
            },
          ],
        },
      ],
    });
    await fetch(options.webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(body, options.appSecret) },
      body,
    });
  };

  const server: Server = createServer((request, response) => {
    let raw = '';
    request.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://sandbox');
      if (request.method === 'GET' && url.pathname.endsWith('/message_templates')) {
        // The business account's templates (`charla templates sync` against the sandbox).
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify(sandboxTemplatePage(url, `http://${request.headers.host ?? '127.0.0.1'}`)));
        return;
      }
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        body = {};
      }
      const to = typeof body.to === 'string' ? body.to : '';
      if (request.method !== 'POST' || !request.url?.endsWith('/messages') || body.messaging_product !== 'whatsapp' || to === '') {
        response.writeHead(400, { 'content-type': 'application/json' });
        response.end(
          JSON.stringify({ error: { code: 100, message: '(sandbox) Invalid parameter: expected a WhatsApp message with "to".' } }),
        );
        return;
      }
      const wamid = `wamid.sandbox-${randomUUID()}`;
      sent.push({ wamid, to, body });
      if (sent.length > SANDBOX_SENT_KEPT) sent.splice(0, sent.length - SANDBOX_SENT_KEPT);
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ messaging_product: 'whatsapp', contacts: [{ input: to, wa_id: to }], messages: [{ id: wamid }] }));
      for (const [status, delay] of [
        ['sent', sentAfter],
        ['delivered', deliveredAfter],
        ['read', readAfter],
      ] as const) {
        const timer = setTimeout(() => {
          timers.delete(timer);
          postStatus(wamid, to, status).catch((error: unknown) => options.onError?.(error));
        }, delay);
        timers.add(timer);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    sent,
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
