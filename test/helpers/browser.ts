import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { ROOT } from './processes.js';

/**
 * Browser tests drive Debian's Chromium (`apt-get install chromium`) through playwright-core, which
 * downloads nothing. Where it is absent the suites are skipped by name and global setup says so.
 */
export const CHROMIUM = process.env.CHARLA_CHROMIUM ?? '/usr/bin/chromium';
export const chromiumPresent = (): boolean => existsSync(CHROMIUM);
export const SKIPPED_WITHOUT_CHROMIUM = `${CHROMIUM} absent (apt-get install -y chromium): browser tests skipped`;

export const DESKTOP = { width: 1366, height: 768 };
export const PHONE = { width: 390, height: 844 };

export interface Browser {
  /** A fresh context (own cookies and storage) with one page at `viewport`. */
  page(viewport?: { width: number; height: number }): Promise<Page>;
  close(): Promise<void>;
}

/** One Chromium per test file; each `page()` gets its own profile so sessions never leak between tests. */
export async function launchBrowser(): Promise<Browser> {
  const contexts: { context: BrowserContext; folder: string }[] = [];
  return {
    page: async (viewport = DESKTOP) => {
      const folder = mkdtempSync(path.join(tmpdir(), 'charla-chromium-'));
      const context = await chromium.launchPersistentContext(folder, {
        executablePath: CHROMIUM,
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--no-first-run',
        ],
        viewport,
        locale: 'es-VE',
        // axe-core is injected as a script: the inbox's Content-Security-Policy would refuse it.
        bypassCSP: true,
        timezoneId: 'America/Caracas',
      });
      contexts.push({ context, folder });
      const page = context.pages()[0] ?? (await context.newPage());
      page.setDefaultTimeout(20_000);
      return page;
    },
    close: async () => {
      for (const { context, folder } of contexts) {
        await context.close().catch(() => undefined);
        rmSync(folder, { recursive: true, force: true });
      }
    },
  };
}

/** Signs in through the sign-in page and waits for the inbox. */
export async function signIn(page: Page, baseUrl: string, email: string, password: string, path = '/conversaciones'): Promise<void> {
  await page.goto(baseUrl + path);
  await page.waitForURL(/\/entrar/);
  await page.getByLabel('Correo').fill(email);
  await page.getByLabel('Contraseña').fill(password);
  await page.getByRole('button', { name: 'Entrar' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/entrar'));
}

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');

export interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/** axe-core's serious and critical violations of WCAG 2.1 A/AA on the page as it is now. */
export async function seriousViolations(page: Page): Promise<Violation[]> {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    interface AxeViolation {
      id: string;
      impact: string | null;
      help: string;
      nodes: { target: string[] }[];
    }
    const page = globalThis as unknown as {
      document: unknown;
      axe: { run: (context: unknown, options: object) => Promise<{ violations: AxeViolation[] }> };
    };
    const result = await page.axe.run(page.document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) }));
  });
}

/**
 * The README's screenshots, made by the browser tests when CHARLA_WRITE_DOCS=1 (so a normal run
 * leaves the working tree as it was): docs/screenshots/<name>.png.
 */
export async function screenshotForDocs(page: Page, name: string): Promise<void> {
  if (process.env.CHARLA_WRITE_DOCS !== '1') return;
  const folder = path.join(ROOT, 'docs', 'screenshots');
  mkdirSync(folder, { recursive: true });
  await page.screenshot({ path: path.join(folder, `${name}.png`) });
}
