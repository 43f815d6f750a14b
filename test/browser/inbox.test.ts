import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addAgent } from '../../src/auth/agents.service.js';
import type { DemoCustomer } from '../../src/demo/demo-data.js';
import { loadDemo } from '../../src/demo/demo.service.js';
import {
  chromiumPresent,
  DESKTOP,
  launchBrowser,
  PHONE,
  screenshotForDocs,
  seriousViolations,
  signIn,
  SKIPPED_WITHOUT_CHROMIUM,
  type Browser,
} from '../helpers/browser.js';
import { postSigned, textsFrom } from '../helpers/messages.js';
import { charlaProcess, startServer, type ServerProcess } from '../helpers/processes.js';
import { describeEachDatabase, type TestDatabase } from '../helpers/test-database.js';
import { APP_SECRET, VERIFY_TOKEN } from '../helpers/webhook.js';

/**
 * The inbox as agents use it, in Debian's Chromium against `charla start` (web, bot worker, sender
 * and the sandbox Graph API that posts statuses back) on each database. Messages come in through
 * the real signed webhook; what is checked is what an agent sees on the page.
 */
const ADMIN = { email: 'admin@prestamos.test', password: 'clave-de-admin-1', nombre: 'Andrea Admin' };
const AGENT = { email: 'carlos@prestamos.test', password: 'clave-de-agente-1', nombre: 'Carlos Agente' };
/** A number no customer has (Venezuelan mobile). */
const STRANGER = '584269990001';

const describeBrowser = chromiumPresent()
  ? describeEachDatabase
  : (name: string) => describe.skip(`${name}: ${SKIPPED_WITHOUT_CHROMIUM}`, () => {});

describeBrowser('the inbox in a browser', ({ engine, fresh }) => {
  let database: TestDatabase;
  let server: ServerProcess;
  let browser: Browser;
  let demo: DemoCustomer[];

  beforeAll(async () => {
    database = await fresh({ onDisk: true });
    const upgrade = await charlaProcess(database.urlText, ['db', 'upgrade']);
    expect(upgrade.code, upgrade.stderr).toBe(0);
    const db = await database.open();
    try {
      await addAgent(db.kysely, db.support, { ...ADMIN, rol: 'admin' });
      await addAgent(db.kysely, db.support, { ...AGENT, rol: 'agente' });
      demo = (await loadDemo(db, 'America/Caracas', '58')) ?? [];
    } finally {
      await db.close();
    }
    server = await startServer('start', {
      DATABASE_URL: database.urlText,
      WHATSAPP_APP_SECRET: APP_SECRET,
      WHATSAPP_VERIFY_TOKEN: VERIFY_TOKEN,
    });
    browser = await launchBrowser();
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const customer = (i: number): DemoCustomer => demo[i] as DemoCustomer;
  const post = async (from: string, texts: string[], sentAt?: number) => {
    const response = await postSigned(server.url, textsFrom(from, texts, sentAt));
    expect(response.status).toBe(200);
  };
  const entry = (page: Page, number: string) => page.locator(`a.conversation[data-numero="${number}"]`);
  const expectAccessible = async (page: Page) => expect(await seriousViolations(page)).toEqual([]);

  it('refuses a wrong password and signs in with the right one; / goes to the sign-in page when signed out', async () => {
    const page = await browser.page();
    await page.goto(server.url + '/');
    await page.waitForURL(/\/entrar/);
    await expectAccessible(page);
    if (engine === 'pglite') await screenshotForDocs(page, 'entrar-escritorio');
    await page.getByLabel('Correo').fill(ADMIN.email);
    await page.getByLabel('Contraseña').fill('no-es-la-clave');
    await page.getByRole('button', { name: 'Entrar' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Correo o contraseña incorrectos');
    expect(new URL(page.url()).pathname).toBe('/entrar');
    await page.getByLabel('Contraseña').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Entrar' }).click();
    await page.waitForURL(/\/conversaciones/);
    await expect.poll(() => page.locator('.who-name').textContent()).toBe(ADMIN.nombre);
  });

  it('shows a customer message within a second, then the bot reply, then its ticks reach "read"', async () => {
    const page = await browser.page();
    await signIn(page, server.url, AGENT.email, AGENT.password);
    await page.waitForSelector('.list-end');
    const number = customer(0).whatsapp;
    await post(number, ['Buenas tardes, quiero saber mi saldo']);
    // From the webhook's 200 (the message is stored) to the row on the agent's screen.
    const stored = Date.now();
    await entry(page, number).waitFor({ timeout: 1_000 });
    const shownAfterMs = Date.now() - stored;
    expect(shownAfterMs).toBeLessThan(1_000);
    await expect.poll(() => entry(page, number).textContent()).toContain(customer(0).nombres);
    await entry(page, number).click();
    await page.getByText('Buenas tardes, quiero saber mi saldo').waitFor();
    await page.locator('.bubble.author-bot').first().waitFor({ timeout: 20_000 });
    await page.locator('.bubble.author-bot .ticks-read').first().waitFor({ timeout: 20_000 });
    await expectAccessible(page);
  });

  it('carries a message written in the simulator to the inbox within a second, and the bot reply back to the simulator', async () => {
    const inbox = await browser.page();
    await signIn(inbox, server.url, AGENT.email, AGENT.password);
    const simulator = await browser.page();
    await signIn(simulator, server.url, ADMIN.email, ADMIN.password, '/simulador');
    const target = customer(5);
    const picker = simulator.getByLabel('Cliente de demostración');
    await picker.selectOption(target.whatsapp);
    await simulator.getByLabel('Mensaje (o pie de foto del comprobante)').fill('Hola, ¿cuál es mi próxima cuota?');
    const sent = Date.now();
    await simulator.getByRole('button', { name: 'Enviar', exact: true }).click();
    await entry(inbox, target.whatsapp).waitFor({ timeout: 1_500 });
    expect(Date.now() - sent).toBeLessThan(1_500);
    await simulator.locator('.sim-theirs .sim-bubble').first().waitFor({ timeout: 20_000 });
    await entry(inbox, target.whatsapp).click();
    await inbox.getByText('Hola, ¿cuál es mi próxima cuota?').waitFor();
    await inbox.locator('.bubble.author-bot .ticks-read').first().waitFor({ timeout: 20_000 });
    await expectAccessible(simulator);
    if (engine === 'pglite') await screenshotForDocs(simulator, 'simulador-escritorio');
  });

  it('lets an agent take a conversation over and reply; the reply shows as delivered', async () => {
    const page = await browser.page();
    await signIn(page, server.url, AGENT.email, AGENT.password);
    const number = customer(1).whatsapp;
    await post(number, ['Buenas, tengo una duda con mi préstamo']);
    await entry(page, number).click();
    await page.getByRole('button', { name: 'Tomar conversación' }).click();
    await page.getByRole('button', { name: 'Devolver al bot' }).waitFor();
    await expect.poll(() => page.locator('.thread-header .badge-agent').textContent()).toBe(AGENT.nombre);
    await page.getByLabel('Mensaje', { exact: true }).fill('Hola, soy Carlos. Ya reviso tu caso.');
    await page.getByLabel('Mensaje', { exact: true }).press('Enter');
    const reply = page.locator('.bubble.author-agente', { hasText: 'Hola, soy Carlos. Ya reviso tu caso.' });
    await reply.waitFor();
    await expect.poll(() => reply.locator('.bubble-author').textContent()).toBe(AGENT.nombre);
    await reply.locator('.ticks[aria-label="Entregado"], .ticks-read').waitFor({ timeout: 20_000 });
    // "Mías" lists it: the agent holds it.
    await page.getByRole('button', { name: 'Mías' }).click();
    await entry(page, number).waitFor();
  });

  it("hands over a customer who cannot pay, with the day they gave in the customer panel's bot notes", async () => {
    const page = await browser.page();
    await signIn(page, server.url, AGENT.email, AGENT.password);
    const number = customer(6).whatsapp;
    await post(number, ['no voy a poder pagar la cuota de este mes, me quede sin trabajo']);
    await entry(page, number).click();
    await page.locator('.bubble', { hasText: '¿Para qué fecha podrías hacer el pago?' }).waitFor();
    await post(number, ['el viernes']);
    await page.locator('.bubble', { hasText: 'Anoté que podrías pagar el viernes' }).waitFor();
    const notes = page.getByRole('region', { name: 'Notas del bot' });
    await notes.getByText(/Podría pagar el .* \(escribió «el viernes»\)/).waitFor();
    await expectAccessible(page);
    if (engine === 'pglite') await screenshotForDocs(page, 'notas-del-bot-escritorio');
    // On a phone the panel opens over the conversation, notes included.
    const phone = await browser.page(PHONE);
    await signIn(phone, server.url, AGENT.email, AGENT.password);
    await entry(phone, number).click();
    await phone.getByRole('button', { name: 'Cliente' }).click();
    await phone
      .getByRole('region', { name: 'Notas del bot' })
      .getByText(/Podría pagar el .* \(escribió «el viernes»\)/)
      .waitFor();
    if (engine === 'pglite') await screenshotForDocs(phone, 'notas-del-bot-telefono');
  });

  it('offers no template to a customer who asked for no more messages, says why, and offers them again once the agent lifts it', async () => {
    const page = await browser.page();
    await signIn(page, server.url, AGENT.email, AGENT.password);
    const number = customer(7).whatsapp;
    await post(number, ['NO ME ESCRIBAN MAS por favor'], Math.floor(Date.now() / 1000) - 2 * 86_400);
    await entry(page, number).click();
    await page.locator('.bubble', { hasText: 'no te escribiremos más' }).waitFor({ timeout: 20_000 });
    await page.getByRole('status').filter({ hasText: 'El cliente pidió no recibir más mensajes' }).waitFor();
    expect(await page.locator('.template-picker').count()).toBe(0);
    await expectAccessible(page);
    if (engine === 'pglite') await screenshotForDocs(page, 'baja-sin-plantillas');
    // On a phone the notice and its button fit beneath the conversation.
    const phone = await browser.page(PHONE);
    await signIn(phone, server.url, AGENT.email, AGENT.password);
    await entry(phone, number).click();
    await phone.getByRole('button', { name: 'El cliente acepta mensajes de nuevo' }).waitFor();
    if (engine === 'pglite') await screenshotForDocs(phone, 'baja-sin-plantillas-telefono');
    // The customer agrees to messages again (by phone, say): the agent lifts it, and the templates are back.
    await page.getByRole('button', { name: 'El cliente acepta mensajes de nuevo' }).click();
    await page.locator('.template-picker').waitFor();
    await page.getByRole('region', { name: 'Notas del bot' }).getByText(`Acepta mensajes de nuevo (lo anotó ${AGENT.nombre})`).waitFor();
  });

  it('outside the 24-hour window offers only templates, and sends one', async () => {
    const page = await browser.page();
    await signIn(page, server.url, AGENT.email, AGENT.password);
    const number = customer(2).whatsapp;
    await post(number, ['Hola, ¿cuánto debo?'], Math.floor(Date.now() / 1000) - 2 * 86_400);
    await entry(page, number).click();
    await page.getByText('La ventana de 24 h está cerrada').waitFor();
    expect(await page.getByLabel('Mensaje', { exact: true }).count()).toBe(0);
    const picker = page.locator('.template-picker select');
    await picker.locator('option', { hasText: 'recordatorio_pago' }).waitFor({ state: 'attached' });
    const options = await picker.locator('option').allTextContents();
    expect(options.some((o) => o.startsWith('recordatorio_pago'))).toBe(true);
    const value = await picker.locator('option', { hasText: 'recordatorio_pago' }).getAttribute('value');
    await picker.selectOption(value as string);
    const inputs = page.locator('.template-picker input');
    for (let i = 0; i < (await inputs.count()); i++) if (!(await inputs.nth(i).inputValue())) await inputs.nth(i).fill(`valor ${i + 1}`);
    await page.getByRole('button', { name: 'Enviar plantilla' }).click();
    const bubble = page.locator('.bubble.author-plantilla').last();
    await bubble.waitFor();
    expect(await bubble.locator('.bubble-text').textContent()).not.toContain('{{');
  });

  it('links an unidentified number to a customer, after which the list and the bot know them', async () => {
    const page = await browser.page();
    await signIn(page, server.url, AGENT.email, AGENT.password);
    await post(STRANGER, ['Hola, escribo desde el número de mi esposa']);
    await entry(page, STRANGER).click();
    await page.getByText('Este número no está vinculado a ningún cliente.').waitFor();
    const target = customer(3);
    await page.getByLabel('Vincular a un cliente (cédula o nombre)').fill(target.cedula.replace(/\D/g, ''));
    await page.getByRole('button', { name: 'Buscar' }).click();
    await page.locator('.candidates li', { hasText: target.nombres }).getByRole('button', { name: 'Vincular' }).click();
    await page.locator('.customer h2', { hasText: target.nombres }).waitFor();
    await expect.poll(() => entry(page, STRANGER).textContent()).toContain(target.nombres);
    const response = await fetch(`${server.url}/api/v1/conversaciones/${STRANGER}`, { headers: { cookie: await sessionCookie(page) } });
    const body = (await response.json()) as { conversacion: { cliente: { id: number } | null } };
    expect(body.conversacion.cliente?.id).toBe(target.id);
  });

  it('finds a customer by cédula and a message by its text, and jumps to the message', async () => {
    const page = await browser.page();
    await signIn(page, server.url, AGENT.email, AGENT.password);
    const target = customer(4);
    await post(target.whatsapp, ['Mi referencia de pago es la transferencia del martes']);
    await entry(page, target.whatsapp).waitFor();
    await page.keyboard.press('/');
    await page.keyboard.type(target.cedula);
    const byCedula = page.locator('.search-results button.result', { hasText: target.nombres });
    await byCedula.waitFor();
    await page.getByLabel('Buscar por nombre, cédula, teléfono o texto').fill('transferencia');
    const byText = page.locator('.search-results button.result', { hasText: 'transferencia del martes' });
    await byText.click();
    await page.waitForURL(new RegExp(`/conversaciones/${target.whatsapp}\\?m=\\d+`));
    await page.locator('.bubble.focused', { hasText: 'transferencia del martes' }).waitFor();
  });

  it('draws the statistics with the same numbers as SQL counts', async () => {
    const page = await browser.page();
    await signIn(page, server.url, ADMIN.email, ADMIN.password, '/estadisticas?dias=30');
    const cookie = await sessionCookie(page);
    const messagesChart = page.locator('section.chart-card', { has: page.getByRole('heading', { name: 'Mensajes por día' }) });
    // The bot may still be answering the earlier tests' messages: compare once both sides agree on a settled count.
    await expect
      .poll(
        async () => {
          await page.reload();
          await page.locator('.chart canvas').first().waitFor();
          const totals = await messagesChart.locator('tfoot td').allTextContents();
          const counts = (await (
            await fetch(`${server.url}/api/v1/conversaciones-whatsapp/estadisticas`, { headers: { cookie } })
          ).json()) as { inbound: number; outbound: number };
          return totals.map((t) => Number(t.replace(/\D/g, ''))).join(',') === `${counts.inbound},${counts.outbound}` && counts.inbound > 0;
        },
        { timeout: 60_000, interval: 2_000 },
      )
      .toBe(true);
    expect(await page.locator('.chart canvas').count()).toBeGreaterThanOrEqual(5);
    await expectAccessible(page);
    if (engine === 'pglite') await screenshotForDocs(page, 'estadisticas-escritorio');
  });

  it('keeps the admin pages from agents, and the inbox from the signed out', async () => {
    const page = await browser.page();
    await signIn(page, server.url, AGENT.email, AGENT.password, '/admin/agentes');
    await page.getByText('No tienes permiso para ver esta página.').waitFor();
    expect(await page.getByRole('link', { name: 'Agentes' }).count()).toBe(0);
    const signedOut = await fetch(`${server.url}/conversaciones/${customer(0).whatsapp}`, { redirect: 'manual' });
    expect([signedOut.status, signedOut.headers.get('location')]).toEqual([
      302,
      `/entrar?volver=${encodeURIComponent(`/conversaciones/${customer(0).whatsapp}`)}`,
    ]);
    expect((await fetch(`${server.url}/api/v1/conversaciones`)).status).toBe(401);
  });

  it('is usable on a 390-pixel phone: the list, then the conversation with a way back', async () => {
    const page = await browser.page(PHONE);
    await signIn(page, server.url, AGENT.email, AGENT.password);
    const number = customer(0).whatsapp;
    await entry(page, number).click();
    await page.getByRole('button', { name: 'Volver a la lista' }).waitFor();
    expect(await page.locator('.list-column').isVisible()).toBe(false);
    await page.locator('.bubble').first().waitFor();
    const width = await page.evaluate(
      () => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth,
    );
    expect(width).toBeLessThanOrEqual(PHONE.width);
    if (engine === 'pglite') await screenshotForDocs(page, 'bandeja-telefono');
    await page.getByRole('button', { name: 'Volver a la lista' }).click();
    await entry(page, number).waitFor();
  });

  it('takes the screenshots of the README (with CHARLA_WRITE_DOCS=1) and keeps the inbox accessible with a thread open', async () => {
    const page = await browser.page(DESKTOP);
    await signIn(page, server.url, ADMIN.email, ADMIN.password);
    await entry(page, customer(0).whatsapp).click();
    await page.locator('.customer h2').waitFor();
    await expectAccessible(page);
    if (engine === 'pglite') await screenshotForDocs(page, 'bandeja-escritorio');
  });
});

/** The page's session cookie, for API calls made beside it. */
async function sessionCookie(page: Page): Promise<string> {
  const cookies = await page.context().cookies();
  return cookies.map((c) => `${c.name}=${c.value}`).join('; ');
}
