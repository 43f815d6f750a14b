import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GRAPH_API_VERSION } from '../../src/config/config.js';
import { GraphClient, type GraphClientOptions } from '../../src/graph/graph-client.js';
import { graphError, GraphStandIn } from '../helpers/graph-stand-in.js';

describe('the Graph API client', () => {
  let graph: GraphStandIn;
  let url: string;
  const sleeps: number[] = [];
  const client = (options: Partial<GraphClientOptions> = {}) =>
    new GraphClient({
      apiUrl: url,
      version: GRAPH_API_VERSION,
      phoneNumberId: '106540352242922',
      accessToken: 'EAAG-test-token',
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      random: () => 0.5,
      ...options,
    });

  beforeEach(async () => {
    graph = new GraphStandIn();
    url = await graph.start();
    sleeps.length = 0;
  });
  afterEach(() => graph.stop());

  it('posts to the pinned version and phone number id, with the token, and returns the wamid', async () => {
    const outcome = await client().send('584121234567', { kind: 'text', body: 'Hola Ana' });
    expect(outcome).toEqual({ ok: true, wamid: 'wamid.standin-1', to: '584121234567', attempts: 1 });
    expect(graph.received[0]).toEqual({
      at: expect.any(Number) as unknown,
      path: `/${GRAPH_API_VERSION}/106540352242922/messages`,
      authorization: 'Bearer EAAG-test-token',
      body: {
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        to: '584121234567',
        type: 'text',
        text: { body: 'Hola Ana', preview_url: false },
      },
    });
  });

  it('retries a 500 and sends once it succeeds', async () => {
    graph.respond(graphError(500, 1, 'An unknown error occurred'));
    const outcome = await client().send('584121234567', { kind: 'text', body: 'x' });
    expect(outcome).toMatchObject({ ok: true, attempts: 2 });
    expect(graph.received).toHaveLength(2);
    expect(sleeps).toEqual([125]); // full jitter: 0.5 × 250 ms
  });

  it('backs off on 429 and 130429, growing the wait, and honours Retry-After', async () => {
    graph.respond(
      graphError(429, 80007, 'Rate limit', { 'retry-after': '2' }),
      graphError(400, 130429, 'Rate limit hit'),
      graphError(400, 130429, 'Rate limit hit'),
    );
    const outcome = await client().send('584121234567', { kind: 'text', body: 'x' });
    expect(outcome).toMatchObject({ ok: true, attempts: 4 });
    expect(sleeps).toEqual([2000, 250, 500]);
  });

  it('retries network errors', async () => {
    graph.respond('drop');
    expect(await client().send('584121234567', { kind: 'text', body: 'x' })).toMatchObject({ ok: true, attempts: 2 });
  });

  it('does not retry permanent errors, and says why', async () => {
    for (const [code, text] of [
      [131047, 'Re-engagement message'],
      [131026, 'Message undeliverable'],
      [131030, 'Recipient phone number not in allowed list'],
      [100, 'Invalid parameter'],
    ] as const) {
      graph.received.length = 0;
      graph.respond(graphError(400, code, text));
      const outcome = await client().send('584121234567', { kind: 'text', body: 'x' });
      expect(outcome).toMatchObject({ ok: false, disposition: { kind: 'permanent' }, code, attempts: 1 });
      expect(outcome.ok ? '' : outcome.error).toBe(`${code} ${text}: ${text}`);
      expect(graph.received).toHaveLength(1);
    }
  });

  it('asks for 6 s of spacing after 131056 instead of retrying at once', async () => {
    graph.respond(graphError(400, 131056, '(Business Account, Consumer Account) pair rate limit hit'));
    const outcome = await client().send('584121234567', { kind: 'text', body: 'x' });
    expect(outcome).toMatchObject({ ok: false, disposition: { kind: 'space', delayMs: 6000 }, attempts: 1 });
    expect(graph.received).toHaveLength(1);
  });

  it('gives up after the last attempt, reporting it as retryable', async () => {
    graph.respond(...Array.from({ length: 5 }, () => graphError(503, 2, 'Service temporarily unavailable')));
    const outcome = await client({ maxAttempts: 5 }).send('584121234567', { kind: 'text', body: 'x' });
    expect(outcome).toMatchObject({ ok: false, disposition: { kind: 'retry' }, attempts: 5 });
    expect(graph.received).toHaveLength(5);
  });

  it('in test mode sends everything to the test phone and reports where it went', async () => {
    const outcome = await client({ testRecipient: '584249990000' }).send('584121234567', { kind: 'text', body: 'x' });
    expect(outcome).toMatchObject({ ok: true, to: '584249990000' });
    expect(graph.received[0]?.body.to).toBe('584249990000');
  });

  it('builds interactive buttons, lists and templates as Meta expects', async () => {
    const c = client();
    await c.send('1', { kind: 'buttons', body: '¿Qué deseas?', buttons: [{ id: 'saldo', title: 'Mi saldo' }] });
    await c.send('1', {
      kind: 'list',
      body: 'Menú',
      button: 'Opciones',
      rows: [{ id: 'cuota', title: 'Próxima cuota', description: 'fecha y monto' }],
    });
    await c.send('1', { kind: 'template', name: 'recordatorio_pago', language: 'es', parameters: ['Ana', '$ 45,00'] });
    expect(graph.received.map((r) => r.body.type)).toEqual(['interactive', 'interactive', 'template']);
    expect(graph.received[0]?.body.interactive).toEqual({
      type: 'button',
      body: { text: '¿Qué deseas?' },
      action: { buttons: [{ type: 'reply', reply: { id: 'saldo', title: 'Mi saldo' } }] },
    });
    expect(graph.received[1]?.body.interactive).toMatchObject({
      type: 'list',
      action: { button: 'Opciones', sections: [{ rows: [{ id: 'cuota', title: 'Próxima cuota', description: 'fecha y monto' }] }] },
    });
    expect(graph.received[2]?.body.template).toEqual({
      name: 'recordatorio_pago',
      language: { code: 'es' },
      components: [
        {
          type: 'body',
          parameters: [
            { type: 'text', text: 'Ana' },
            { type: 'text', text: '$ 45,00' },
          ],
        },
      ],
    });
  });
});
