import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorBody } from '../src/http/error-handler.js';
import { buildApp } from '../src/http/app.js';
import { createLogger, LOG_CAPTURE_ENV } from '../src/logging/logger.js';
import { bearer } from './helpers/auth.js';
import { findLeaks } from './helpers/log-leaks.js';
import { describeEachDatabase } from './helpers/test-database.js';
import { testConfig, useMigratedApp } from './helpers/webhook.js';

const root = path.resolve(import.meta.dirname, '..');
const files = (folder: string) => readdirSync(folder).filter((name) => name.endsWith('.ndjson'));

/**
 * Points CHARLA_LOG_CAPTURE at a folder of this test's own while `body` runs (the suite's capture
 * is restored afterwards) and returns the lines captured there.
 */
function ownCapture() {
  let folder = '';
  let previous: string | undefined;
  return {
    start: () => {
      folder = mkdtempSync(path.join(tmpdir(), 'charla-logs-test-'));
      previous = process.env[LOG_CAPTURE_ENV];
      process.env[LOG_CAPTURE_ENV] = folder;
      return folder;
    },
    stop: () => {
      if (previous === undefined) delete process.env[LOG_CAPTURE_ENV];
      else process.env[LOG_CAPTURE_ENV] = previous;
      if (folder) rmSync(folder, { recursive: true, force: true });
    },
    lines: (): Record<string, unknown>[] =>
      existsSync(folder)
        ? files(folder).flatMap((name) =>
            readFileSync(path.join(folder, name), 'utf8')
              .split('\n')
              .filter(Boolean)
              .map((line) => JSON.parse(line) as Record<string, unknown>),
          )
        : [],
    text: () => JSON.stringify(files(folder).map((name) => readFileSync(path.join(folder, name), 'utf8'))),
  };
}

describe('log capture (CHARLA_LOG_CAPTURE)', () => {
  const capture = ownCapture();
  afterEach(() => capture.stop());

  it('receives what production would print, at info or above, even from a silenced logger', () => {
    capture.start();
    const silenced = createLogger('silent', { print: false });
    silenced.debug('not at info');
    silenced.info({ numero: '584141234567' }, 'No conversation with 584141234567.');
    silenced.error('failed');
    createLogger('debug', { print: false }).debug('debug when the level says so');
    expect(capture.lines().map((line) => [line.level, line.msg])).toEqual([
      [30, 'No conversation with ***4567.'],
      [50, 'failed'],
      [20, 'debug when the level says so'],
    ]);
    expect(capture.lines()[0]?.numero).toBe('***4567');
  });

  it('receives the lines of charla processes, which inherit the variable; their stdout keeps their level', () => {
    const folder = capture.start();
    const script = path.join(folder, 'child.ts');
    writeFileSync(
      script,
      `import { createLogger } from ${JSON.stringify(path.join(root, 'src/logging/logger.ts'))};
       const log = createLogger('warn');
       log.info('from the child: 584141234567');
       log.warn('a warning');`,
    );
    const child = spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: root, env: process.env, encoding: 'utf8' });
    expect(child.status).toBe(0);
    expect(
      child.stdout
        .trim()
        .split('\n')
        .map((line) => (JSON.parse(line) as { msg: string }).msg),
    ).toEqual(['a warning']);
    expect(files(folder)).toEqual([`${child.pid}.ndjson`]);
    expect(capture.lines().map((line) => line.msg)).toEqual(['from the child: ***4567', 'a warning']);
  });
});

describeEachDatabase('logged errors never hold the number the response names', ({ fresh }) => {
  // Registered before useMigratedApp's, so its app is built with this test's capture.
  const capture = ownCapture();
  beforeAll(() => void capture.start());
  afterAll(() => capture.stop());
  const context = useMigratedApp(fresh);
  let headers: { authorization: string };
  beforeAll(async () => {
    headers = await bearer(context.database());
  });

  it('answers with the number, logs it masked (4xx from the error handler)', async () => {
    const app = context.app();
    const notFound = await app.inject({ url: '/api/v1/conversaciones/584141234567', headers });
    expect(notFound.statusCode).toBe(404);
    expect(notFound.json<ErrorBody>().error.message).toBe('No conversation with 584141234567.');
    const notANumber = await app.inject({ url: `/api/v1/conversaciones/${encodeURIComponent('+58 414-123 4567 999')}`, headers });
    expect(notANumber.statusCode).toBe(400);
    expect(notANumber.json<ErrorBody>().error.message).toBe('"+58 414-123 4567 999" is not a phone number.');

    const lines = capture.lines();
    expect(lines.map((line) => [line.level, line.code, line.msg])).toEqual([
      [30, 'HTTP_NOT_FOUND', 'No conversation with ***4567.'],
      [30, 'HTTP_BAD_REQUEST', '"***7999" is not a phone number.'],
    ]);
    expect(capture.text()).not.toMatch(/1234567|123 4567/);
  });

  it("masks Fastify's own request lines (LOG_LEVEL=debug logs every request and its URL)", async () => {
    let app: FastifyInstance | undefined;
    try {
      app = await buildApp({ config: testConfig({ LOG_LEVEL: 'debug' }), database: context.database(), logger: false });
      await app.inject({ url: '/api/v1/conversaciones/%2B58%20414-123%204567?x=ana.perez%40example.com', headers });
    } finally {
      await app?.close();
    }
    const requestLines = capture.lines().filter((line) => line.msg === 'incoming request' || line.msg === 'request completed');
    expect(requestLines).toHaveLength(2);
    expect(requestLines[0]?.req).toMatchObject({ url: '/api/v1/conversaciones/***4567?x=[e-mail]' });
    expect(capture.lines().flatMap((line) => findLeaks(JSON.stringify(line)))).toEqual([]);
  });
});
