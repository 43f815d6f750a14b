import { afterEach, describe, expect, it } from 'vitest';
import { SANDBOX_SENT_KEPT, startSandboxGraph, type SandboxGraph } from '../src/sandbox/sandbox-graph.js';

describe('sandbox Graph API', () => {
  let sandbox: SandboxGraph | undefined;
  afterEach(() => sandbox?.close());

  it(`remembers the last ${SANDBOX_SENT_KEPT} messages sent, not every one`, async () => {
    sandbox = await startSandboxGraph({
      webhookUrl: 'http://127.0.0.1:9/unused',
      appSecret: 'secret',
      phoneNumberId: '106540352242922',
      displayPhoneNumber: '15550000000',
      // No status is due before close() clears them.
      statusDelaysMs: [600_000, 600_000, 600_000],
    });
    const total = SANDBOX_SENT_KEPT + 25;
    const wamids: string[] = [];
    const send = async (i: number): Promise<void> => {
      const response = await fetch(`${sandbox?.url}/v21.0/106540352242922/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ messaging_product: 'whatsapp', to: '584121234567', type: 'text', text: { body: `message ${i}` } }),
      });
      wamids[i] = ((await response.json()) as { messages: { id: string }[] }).messages[0]?.id as string;
    };
    for (let i = 0; i < total; i += 25) await Promise.all(Array.from({ length: 25 }, (_, j) => send(i + j)));

    const { sent } = sandbox;
    expect(sent).toHaveLength(SANDBOX_SENT_KEPT);
    const kept = new Set(sent.map((s) => s.wamid));
    // Sent 25 at a time, one batch after the other: the first batch is gone, every later one kept, newest last.
    expect(wamids.slice(0, 25).filter((wamid) => kept.has(wamid))).toEqual([]);
    expect(wamids.slice(25).every((wamid) => kept.has(wamid))).toBe(true);
    expect(wamids.slice(-25)).toContain(sent.at(-1)?.wamid);
    const bodies = sent.map((s) => (s.body.text as { body: string }).body);
    expect(bodies).not.toContain('message 0');
    expect(bodies).toContain(`message ${total - 1}`);
  });
});
