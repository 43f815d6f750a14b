import { describe, expect, it } from 'vitest';
import { Wakeup } from '../../src/worker/wakeup.js';

describe('Wakeup', () => {
  it('wakes a waiting loop at once when notified', async () => {
    const wakeup = new Wakeup();
    const started = performance.now();
    const waiting = wakeup.wait(10_000);
    wakeup.notify();
    await waiting;
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('remembers a notification that came before the wait, so work found in between is not missed', async () => {
    const wakeup = new Wakeup();
    wakeup.notify();
    const started = performance.now();
    await wakeup.wait(10_000);
    expect(performance.now() - started).toBeLessThan(1_000);
    // The notification is used up: the next wait runs to its timeout.
    const again = performance.now();
    await wakeup.wait(30);
    expect(performance.now() - again).toBeGreaterThanOrEqual(25);
  });
});
