/**
 * Deadlocks between concurrent statements that are safe to repeat. InnoDB (MySQL/MariaDB) takes
 * next-key and insert-intention locks for an INSERT … ON DUPLICATE KEY UPDATE of new keys, so two
 * such upserts of overlapping numbers can deadlock even in the same key order; the database then
 * rolls one back (errno 1213; PostgreSQL's is SQLSTATE 40P01), and running it again succeeds.
 */
export function isDeadlock(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, errno } = e as { code?: unknown; errno?: unknown };
    if (errno === 1213 || code === 'ER_LOCK_DEADLOCK' || code === '40P01') return true;
  }
  return false;
}

/** Runs `work` again (at most `attempts` times in all) when the database picked it as a deadlock's victim. Only for work that is safe to repeat and not inside a transaction. */
export async function retryOnDeadlock<T>(work: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (thrown) {
      if (attempt >= attempts || !isDeadlock(thrown)) throw thrown;
    }
  }
}
