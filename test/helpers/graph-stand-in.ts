import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ScriptedResponse = { status: number; body: unknown; headers?: Record<string, string> } | 'drop';

export interface ReceivedRequest {
  /** When it arrived (ms since the epoch). */
  at: number;
  path: string;
  authorization: string | undefined;
  body: Record<string, unknown>;
}

/**
 * A local HTTP server standing in for the Graph API: answers from a script (then with success),
 * and records every request it received.
 */
export class GraphStandIn {
  readonly received: ReceivedRequest[] = [];
  private readonly script: ScriptedResponse[] = [];
  private server: Server | undefined;
  private next = 1;

  respond(...responses: ScriptedResponse[]): this {
    this.script.push(...responses);
    return this;
  }

  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      void readBody(request).then((raw) => {
        this.received.push({
          at: Date.now(),
          path: request.url ?? '',
          authorization: request.headers.authorization,
          // A GET (the template list) has no body.
          body: (raw ? JSON.parse(raw) : {}) as Record<string, unknown>,
        });
        const scripted = this.script.shift();
        if (scripted === 'drop') {
          request.socket.destroy();
          return;
        }
        const reply = scripted ?? {
          status: 200,
          body: { messaging_product: 'whatsapp', messages: [{ id: `wamid.standin-${this.next++}` }] },
        };
        response.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
        response.end(JSON.stringify(reply.body));
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

export function graphError(status: number, code: number, message: string, headers: Record<string, string> = {}): ScriptedResponse {
  return { status, headers, body: { error: { message, type: 'OAuthException', code, error_data: { details: message }, fbtrace_id: 'x' } } };
}

async function readBody(request: IncomingMessage): Promise<string> {
  let raw = '';
  for await (const chunk of request) raw += (chunk as Buffer).toString();
  return raw;
}
