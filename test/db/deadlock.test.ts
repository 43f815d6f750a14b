import { describe, expect, it } from 'vitest';
import { isDeadlock, retryOnDeadlock } from '../../src/db/deadlock.js';

/** What the drivers throw when the database rolled a statement back as a deadlock's victim. */
const mysqlDeadlock = () =>
  Object.assign(new Error('Deadlock found when trying to get lock; try restarting transaction'), { errno: 1213, code: 'ER_LOCK_DEADLOCK' });
const postgresDeadlock = () => Object.assign(new Error('deadlock detected'), { code: '40P01' });

describe('a statement picked as a deadlock victim', () => {
  it('is recognised from MySQL/MariaDB and PostgreSQL errors, also when wrapped, and nothing else is', () => {
    expect(isDeadlock(mysqlDeadlock())).toBe(true);
    expect(isDeadlock(postgresDeadlock())).toBe(true);
    expect(isDeadlock(new Error('wrapped', { cause: mysqlDeadlock() }))).toBe(true);
    expect(isDeadlock(Object.assign(new Error('Duplicate entry'), { errno: 1062 }))).toBe(false);
    expect(isDeadlock(undefined)).toBe(false);
  });

  it('is run again until it succeeds, at most three times; any other error goes through at once', async () => {
    let calls = 0;
    const failTwice = async () => {
      calls++;
      if (calls < 3) throw mysqlDeadlock();
      return 'hecho';
    };
    await expect(retryOnDeadlock(failTwice)).resolves.toBe('hecho');
    expect(calls).toBe(3);

    calls = 0;
    const alwaysDeadlocked = async () => {
      calls++;
      throw postgresDeadlock();
    };
    await expect(retryOnDeadlock(alwaysDeadlocked)).rejects.toThrow('deadlock detected');
    expect(calls).toBe(3);

    calls = 0;
    const otherError = async () => {
      calls++;
      throw new Error('otra cosa');
    };
    await expect(retryOnDeadlock(otherError)).rejects.toThrow('otra cosa');
    expect(calls).toBe(1);
  });
});
