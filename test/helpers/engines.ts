/** The database engines the suite runs on, and where the server-based ones are expected. */
export type Engine = 'pglite' | 'postgres' | 'mysql';

export const ENGINES: readonly Engine[] = ['pglite', 'postgres', 'mysql'];

export const adminUrls = {
  postgres: process.env.CHARLA_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
  mysql: process.env.CHARLA_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test',
};

/** What global-setup found: for each engine, null when available or the reason it is skipped. */
export type Availability = Record<Engine, string | null>;

declare module 'vitest' {
  export interface ProvidedContext {
    databaseAvailability: Availability;
  }
}
