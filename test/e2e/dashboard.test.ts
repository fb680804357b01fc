// The dashboard end to end, as a person uses it: a real `greenlight serve` (startServer, embedded
// PGlite, the built-in simulator as Meta) on a random port, and Debian's Chromium driven by
// playwright-core. Data is seeded through the REST API (contacts CSV, a template reviewed by the
// simulator); everything asserted is visible text on the page. Needs dist/web (`npm run build`, which
// `npm test` runs first). Screenshots go to test-artifacts/screenshots/, and to docs/screenshots/ with
// UPDATE_SCREENSHOTS=1.

import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, onTestFailed } from 'vitest';
import type { ServerHandle } from '../../src/cli/cli-context.ts';
import { startServer } from '../../src/main.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TOKEN = 'e2e-dashboard-token-4f1d2c9b7a';
const CHROMIUM = '/usr/bin/chromium';
const TEMPLATE = 'e2e_order_ready';
const AUDIENCE = 10;
const PHONE = (index: number) => `+49151234567${String(index).padStart(2, '0')}`;
const OUTSIDER = '+4915123456799';
const INBOUND_TEXT = 'Is my order ready? Can I come at 5?';
const LAPTOP = { width: 1280, height: 800 };
const PHONE_VIEWPORT = { width: 390, height: 844 };

let server: ServerHandle;
let browser: Browser;
let dataDir: string;
let context: BrowserContext;
let page: Page;
/** The page opened last (the phone-width one in its test), for the failure screenshot. */
let lastPage: Page | null = null;
const cspViolations: string[] = [];
/** Uncaught errors and console errors in any page: a screen that crashed fails the test that opened it. */
const pageErrors: string[] = [];

async function apiCall(method: string, route: string, body?: unknown, contentType = 'application/json'): Promise<any> {
  const response = await fetch(`${server.url}${route}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, ...(body === undefined ? {} : { 'content-type': contentType }) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${route} answered ${response.status}: ${text}`);
  return text ? JSON.parse(text) : null;
}

/** The simulator's own controls (no token), mounted under /simulator by serve in simulator mode. */
async function simControl(route: string, body: unknown): Promise<void> {
  const response = await fetch(`${server.url}/simulator/_sim/${route}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`/simulator/_sim/${route} answered ${response.status}: ${await response.text()}`);
}

async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

async function screenshot(target: Page, name: string): Promise<void> {
  await target.evaluate('window.scrollTo(0, 0)');
  const image = await target.screenshot({ fullPage: true });
  const dirs = [path.join(ROOT, 'test-artifacts/screenshots'), ...(process.env.UPDATE_SCREENSHOTS === '1' ? [path.join(ROOT, 'docs/screenshots')] : [])];
  for (const dir of dirs) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, `${name}.png`), image);
  }
}

async function newPage(viewport = LAPTOP): Promise<{ context: BrowserContext; page: Page }> {
  const fresh = await browser.newContext({ viewport, deviceScaleFactor: 1, locale: 'en-US', timezoneId: 'Europe/Berlin' });
  const opened = await fresh.newPage();
  lastPage = opened;
  opened.on('console', (message) => {
    if (/Content.Security.Policy/i.test(message.text())) cspViolations.push(message.text());
    // A failed API call is shown on the page by design; anything else logged as an error is a bug.
    else if (message.type() === 'error' && !/Failed to load resource/.test(message.text())) pageErrors.push(message.text());
  });
  opened.on('pageerror', (error) => pageErrors.push(String(error)));
  return { context: fresh, page: opened };
}

async function signedInPage(viewport = LAPTOP): Promise<{ context: BrowserContext; page: Page }> {
  const opened = await newPage(viewport);
  await opened.page.goto(`${server.url}/#token=${TOKEN}`);
  await opened.page.getByRole('link', { name: 'Inbox' }).waitFor();
  return opened;
}

async function contactIdOf(phone: string): Promise<number> {
  const found = await apiCall('GET', `/api/contacts?q=${encodeURIComponent(phone.replace(/\D/g, ''))}`);
  return Number(found.items[0].id);
}

/** Asserts the page is no wider than the viewport: nothing to scroll sideways on a phone. */
async function expectNoHorizontalOverflow(target: Page): Promise<void> {
  const widths = await target.evaluate<{ scroll: number; viewport: number }>('({ scroll: document.documentElement.scrollWidth, viewport: window.innerWidth })');
  expect(widths.scroll).toBeLessThanOrEqual(widths.viewport);
}

describe('dashboard in a browser (Chromium, real server, simulator)', () => {
  beforeAll(async () => {
    // Fail loudly rather than skip: a dashboard nobody tests is how a broken one ships.
    if (!existsSync(path.join(ROOT, 'dist/web/index.html'))) throw new Error('dist/web is not built: run `npm run build` (npm test does it first)');
    if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install chromium (.ci/run does)`);
    dataDir = mkdtempSync(path.join(tmpdir(), 'greenlight-e2e-'));
    server = await startServer({ GREENLIGHT_DATA_DIR: path.join(dataDir, 'data'), GREENLIGHT_API_TOKEN: TOKEN, GREENLIGHT_LOG_LEVEL: 'error' }, dataDir, { port: 0 });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });

    // Contacts with their opt-in (and its proof), all tagged for the campaign, plus one outsider who never writes.
    const rows = Array.from({ length: AUDIENCE }, (_, index) => `${PHONE(index + 1)},Customer ${String.fromCharCode(65 + index)}${index === 0 ? ' Becker' : ''},en,customers,2025-05-10T14:03:00Z,checkout form,"I want order updates from Loja Verde on WhatsApp",all`);
    const csv = ['phone,name,language,tags,opt_in_at,opt_in_source,opt_in_text,consent_categories', ...rows, `${OUTSIDER},Olga Outsider,en,walk-in,2025-05-10T14:03:00Z,in-store tablet,"Send me order updates on WhatsApp",all`].join('\n');
    const imported = await apiCall('POST', '/api/contacts/import?source=e2e', csv, 'text/csv');
    expect(imported.created).toBe(AUDIENCE + 1);
    // The simulated people know they opted in (they react as people who asked for it).
    await simControl('people/opt-ins', { phones: [...rows.map((_, index) => PHONE(index + 1)), OUTSIDER] });

    // Customer A writes in now, before the simulator's clock is moved below: the window opens at a moment
    // Greenlight's clock has passed (an inbound stamped in Greenlight's future does not open a window).
    await simControl('people/inbound', { from: PHONE(1), text: INBOUND_TEXT });
    await waitUntil('the inbound message is stored', async () => (await apiCall('GET', '/api/conversations')).items.length === 1);

    // A utility template in two languages, reviewed by the simulator after its 60 s review delay (moved forward here), then synced.
    await apiCall('POST', '/api/templates', {
      name: TEMPLATE,
      language: 'en',
      category: 'UTILITY',
      components: [
        // Markdown in a header: Meta accepts it but shows the stars, so lint warns (HEADER_FORMATTING) and the launch screen shows it.
        { type: 'HEADER', format: 'TEXT', text: 'Your order is *ready*' },
        { type: 'BODY', text: 'Hi {{1}}, your order is ready for pickup at our Berlin store until Saturday.', example: { body_text: [['Anna']] } },
        { type: 'FOOTER', text: 'Reply to this message with any question.' },
      ],
    });
    await apiCall('POST', '/api/templates', {
      name: TEMPLATE,
      language: 'es',
      category: 'UTILITY',
      components: [
        { type: 'HEADER', format: 'TEXT', text: 'Tu pedido está listo' },
        { type: 'BODY', text: 'Hola {{1}}, tu pedido está listo para recoger en nuestra tienda de Berlín hasta el sábado.', example: { body_text: [['Ana']] } },
        { type: 'FOOTER', text: 'Responde a este mensaje si tienes preguntas.' },
      ],
    });
    await simControl('clock/advance', { ms: 61_000 });
    await waitUntil('both languages are approved', async () => {
      await apiCall('POST', '/api/templates/sync');
      const templates = await apiCall('GET', '/api/templates');
      return templates.items.filter((template: any) => template.name === TEMPLATE && template.status === 'APPROVED').length === 2;
    });

    ({ context, page } = await signedInPage());
  });

  // A failed test leaves a picture of what the browser showed, beside the other screenshots.
  beforeEach((test) => {
    pageErrors.length = 0;
    onTestFailed(async () => {
      if (pageErrors.length > 0) console.error('errors in the browser:', pageErrors);
      const shown = lastPage && !lastPage.isClosed() ? lastPage : page;
      if (shown && !shown.isClosed()) await screenshot(shown, `failed-${test.task.name.slice(0, 40).replace(/\W+/g, '-')}`);
    });
  });

  afterEach(() => {
    expect(pageErrors).toEqual([]);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('asks for the API token when none is stored, and shows the API refusal for a wrong one', async () => {
    const { context: fresh, page: gate } = await newPage();
    try {
      await gate.goto(server.url);
      await gate.getByRole('heading', { name: 'Sign in to the dashboard' }).waitFor();
      expect(await gate.getByRole('link', { name: 'Inbox' }).count()).toBe(0);
      await gate.getByLabel('API token').fill('glt_this-is-not-the-token-at-all');
      await gate.getByRole('button', { name: 'Sign in' }).click();
      await gate.getByRole('alert').filter({ hasText: 'the API token is not valid' }).waitFor();
      await screenshot(gate, 'sign-in-wrong-token');

      await gate.getByLabel('API token').fill(TOKEN);
      await gate.getByRole('button', { name: 'Sign in' }).click();
      await gate.getByRole('heading', { name: 'Senders' }).waitFor();
    } finally {
      await fresh.close();
    }
  });

  it('takes the token from the #token= link once, keeps it out of the address bar, and shows the simulator banner', async () => {
    expect(page.url()).not.toContain(TOKEN);
    await page.getByText('Simulator mode.').waitFor();
    await page.getByRole('heading', { name: 'Senders' }).waitFor();
    await page.getByRole('button', { name: 'Sync from Meta' }).click();
    await page.getByRole('heading', { name: 'Greenlight Simulator' }).waitFor();
    await page.getByText('quality green').waitFor();
  });

  it('serves the dashboard with a strict Content-Security-Policy that its own pages never violate', async () => {
    const response = await fetch(`${server.url}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    expect(response.headers.get('content-security-policy')).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    const html = await response.text();
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(asset).toBeDefined();
    const script = await fetch(`${server.url}${asset!}`);
    expect(script.status).toBe(200);
    expect(script.headers.get('cache-control')).toMatch(/immutable/);
    expect(cspViolations).toEqual([]);
  });

  it('creates a campaign through the form, shows the estimate and the template lint before Launch, launches it, and shows progress reaching every recipient and the report', async () => {
    await page.goto(`${server.url}/#/campaigns/new`);
    await page.getByRole('heading', { name: 'New campaign' }).waitFor();
    await page.getByLabel('Campaign name').fill('Order ready, Berlin pickup');
    await page.locator('select[name=template] option', { hasText: TEMPLATE }).waitFor({ state: 'attached' });
    await page.locator('select[name=template]').selectOption(TEMPLATE);
    await page.locator('select[name=language]').selectOption('en');
    await page.getByText('Body {{1}}').waitFor();
    await page.getByLabel('Tags (all of them)').fill('customers');
    await page.locator('input[name=quietHours]').uncheck();
    await page.locator('input[name=canary]').uncheck();
    await screenshot(page, 'new-campaign');
    const keys: string[] = [];
    const recordKey = (request: { method(): string; url(): string; headers(): Record<string, string> }) => {
      if (request.method() === 'POST' && /\/api\/campaigns(\/\d+\/launch)?$/.test(request.url())) keys.push(request.headers()['idempotency-key'] ?? 'none');
    };
    page.on('request', recordKey);
    await page.getByRole('button', { name: 'Create draft and estimate' }).click();

    await page.getByRole('heading', { name: 'Review and launch' }).waitFor();
    await expect.poll(() => page.getByTestId('estimate-send').textContent(), { timeout: 15_000 }).toBe(String(AUDIENCE));
    const checks = page.getByRole('heading', { name: /Template checks/ });
    await checks.waitFor();
    await page.getByText(`${TEMPLATE} · en`).waitFor();
    await page.locator('.lint-warning').filter({ hasText: /header/i }).first().waitFor();
    const launch = page.getByRole('button', { name: `Launch to ${AUDIENCE} recipients` });
    await launch.waitFor();
    // The estimate and the lint come before the button.
    const [estimateBox, checksBox, launchBox] = await Promise.all([page.getByRole('heading', { name: 'Estimate' }).boundingBox(), checks.boundingBox(), launch.boundingBox()]);
    expect(estimateBox!.y).toBeLessThan(launchBox!.y);
    expect(checksBox!.y).toBeLessThan(launchBox!.y);
    await screenshot(page, 'launch-screen');

    await launch.click();
    await page.waitForURL(/#\/campaigns\/\d+$/);
    page.off('request', recordKey);
    // The create and the launch each carried an Idempotency-Key of their own.
    expect(keys).toHaveLength(2);
    expect(keys.every((key) => /^dash-[0-9a-f]{32}$/.test(key))).toBe(true);
    expect(new Set(keys).size).toBe(2);
    await expect.poll(() => page.getByTestId('progress-summary').textContent(), { timeout: 60_000, interval: 500 }).toMatch(new RegExp(`^${AUDIENCE} of ${AUDIENCE} sent`));
    await page.getByRole('heading', { name: 'Funnel' }).waitFor();
    await page.getByRole('heading', { name: 'By template and language' }).waitFor();
    // Delivery receipts arrive from the simulator's webhooks a moment after the sends.
    await expect.poll(async () => Number((await page.locator('.funnel-step', { hasText: 'Delivered' }).locator('strong').textContent()) ?? '0'), { timeout: 30_000, interval: 500 }).toBeGreaterThan(0);
    await page.getByRole('heading', { name: 'Throughput' }).waitFor();
    await page.locator('.chart svg rect').first().waitFor();
    await page.getByText('Estimated', { exact: true }).waitFor();
    // For the documentation picture only: let more delivery and read receipts arrive first.
    if (process.env.UPDATE_SCREENSHOTS === '1') await page.waitForTimeout(8_000);
    await screenshot(page, 'campaign-page');

    await page.goto(`${server.url}/#/`);
    await page.getByRole('link', { name: 'Order ready, Berlin pickup' }).waitFor();
    await screenshot(page, 'campaign-list');
  }, 120_000);

  it('pauses, resumes and cancels a campaign from its page, with the state shown after each', async () => {
    const startAt = new Date(Date.now() + 2 * 24 * 3_600_000).toISOString();
    const document = { name: 'Weekend pickup reminder', sender: '106540352242922', template: TEMPLATE, defaultLanguage: 'en', audience: { tags: ['customers'] }, variables: { body: { '1': { from: 'contact', field: 'first_name', fallback: 'there' } } }, schedule: { startAt } };
    const created = await apiCall('POST', '/api/campaigns', document);
    const id = Number(created.campaign.id);
    await apiCall('POST', `/api/campaigns/${id}/launch`);
    await page.goto(`${server.url}/#/campaigns/${id}`);
    const state = page.locator('h1 .badge');
    await expect.poll(() => state.textContent()).toBe('scheduled');
    await page.getByRole('button', { name: 'Pause' }).click();
    await expect.poll(() => state.textContent()).toBe('paused');
    await page.getByText('Paused (manual).').waitFor();
    await page.getByRole('button', { name: 'Resume' }).click();
    await expect.poll(() => state.textContent()).not.toBe('paused');
    await page.getByRole('button', { name: 'Cancel campaign' }).click();
    await page.getByRole('button', { name: 'Yes, cancel it' }).click();
    await expect.poll(() => state.textContent()).toBe('cancelled');
    expect(await page.getByRole('button', { name: 'Pause' }).count()).toBe(0);
    await page.getByText(`0 of ${AUDIENCE} sent`).waitFor();
  });

  it('previews a template per language as a WhatsApp bubble with its lint findings inline', async () => {
    await page.goto(`${server.url}/#/templates/${TEMPLATE}`);
    await page.locator('.wa-bubble').filter({ hasText: 'your order is ready for pickup' }).waitFor();
    await page.locator('.wa-bubble').filter({ hasText: 'tu pedido está listo para recoger' }).waitFor();
    expect(await page.locator('.language-card').count()).toBe(2);
    await page.locator('.wa-header').filter({ hasText: 'Your order is' }).first().waitFor();
    await page.getByRole('article', { name: `${TEMPLATE} en` }).getByRole('heading', { name: 'Lint' }).waitFor();
    await page.getByRole('article', { name: `${TEMPLATE} en` }).locator('.lint-warning').filter({ hasText: /header/i }).waitFor();
    await page.getByText(/Spam risk/).first().waitFor();
    await screenshot(page, 'template-preview');
  });

  it('lists contacts with filters, and shows a contact with its consent history where the opt-out button records an opt-out', async () => {
    await page.goto(`${server.url}/#/contacts`);
    await page.getByText('Olga Outsider').waitFor();
    await page.getByLabel('Tag', { exact: true }).fill('walk-in');
    await page.getByRole('button', { name: 'Filter' }).click();
    await expect.poll(() => page.locator('table tbody tr').count()).toBe(1);
    await page.getByLabel('Tag', { exact: true }).fill('');
    await page.getByRole('button', { name: 'Filter' }).click();
    await expect.poll(() => page.locator('table tbody tr').count()).toBe(AUDIENCE + 1);
    await screenshot(page, 'contacts');

    await page.getByRole('link', { name: 'Olga Outsider' }).click();
    await page.getByRole('heading', { name: 'Consent history' }).waitFor();
    await page.getByText('in-store tablet').first().waitFor();
    await page.getByRole('button', { name: 'Opt out of marketing' }).click();
    await page.locator('.pairs').getByText('opted out').waitFor();
    await page.locator('table tbody tr').filter({ hasText: 'opt out' }).filter({ hasText: 'dashboard' }).waitFor();
    await screenshot(page, 'contact');
  });

  it('lets the inbox answer free-form while the service window is open, and offers only approved templates once it is closed', async () => {
    // Customer A wrote in (seeded above); the outsider never did.
    const writerId = await contactIdOf(PHONE(1));
    await page.goto(`${server.url}/#/inbox`);
    await page.getByText(INBOUND_TEXT).first().waitFor();
    await page.getByRole('link', { name: /Customer A Becker/ }).first().click();
    await page.waitForURL(new RegExp(`#/inbox/${writerId}$`));
    await page.locator('.thread-head').getByText(/open · \d+ h \d+ min left/).waitFor();
    await page.getByPlaceholder('Write a reply…').fill('Yes, it is ready. See you at 5!');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await page.locator('.chat-row.outgoing').filter({ hasText: 'See you at 5!' }).waitFor({ timeout: 15_000 });
    await screenshot(page, 'inbox');

    // Someone who never wrote: the window is closed, so no free-form box, only approved templates.
    const outsiderId = await contactIdOf(OUTSIDER);
    await page.goto(`${server.url}/#/inbox/${outsiderId}`);
    await page.getByText('The 24-hour window is closed').waitFor();
    await page.getByText('this person has never written to you').waitFor();
    expect(await page.getByPlaceholder('Write a reply…').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Send', exact: true }).count()).toBe(0);
    // The contact's own language comes first.
    expect(await page.locator('select[name=template]').inputValue()).toBe(`${TEMPLATE}|en`);
    await page.getByLabel('body {{1}}').fill('Olga');
    await page.locator('.composer .wa-bubble').filter({ hasText: 'Hi Olga, your order is ready' }).waitFor();
    await page.getByRole('button', { name: 'Send template' }).click();
    await page.locator('.chat-row.outgoing').filter({ hasText: TEMPLATE }).waitFor({ timeout: 15_000 });
    await screenshot(page, 'inbox-window-closed');
  }, 60_000);

  it('shows a banner naming a campaign a guard paused, with the reason and the way to resume', async () => {
    const { context: fresh, page: banner } = await signedInPage();
    try {
      // The status as the API gives it while a breaker holds a campaign (pausing one for real needs a burst of blocks).
      await banner.route('**/api/status', (route) =>
        route.fulfill({ json: { mode: 'simulator', database: 'pglite', guardPauses: [{ id: 1, name: 'Order ready, Berlin pickup', reason: 'breaker', detail: 'opt-out rate 4.1 % over 15 min (limit 2 %)', action: 'greenlight campaigns resume 1' }] } }),
      );
      await banner.reload();
      const alert = banner.getByRole('alert').filter({ hasText: 'Paused by a guard' });
      await alert.waitFor();
      await alert.getByText('opt-out rate 4.1 % over 15 min').waitFor();
      await alert.getByText('greenlight campaigns resume 1').waitFor();
      await alert.getByRole('link', { name: 'Order ready, Berlin pickup' }).waitFor();
    } finally {
      await fresh.close();
    }
  });

  it('fits a 390 px phone screen without sideways scrolling', async () => {
    const { context: phone, page: small } = await signedInPage(PHONE_VIEWPORT);
    try {
      const campaigns = await apiCall('GET', '/api/campaigns');
      const id = campaigns.items[0].id;
      for (const route of ['#/', `#/campaigns/${id}`, '#/campaigns/new', '#/contacts', `#/inbox/${await contactIdOf(PHONE(1))}`, `#/templates/${TEMPLATE}`]) {
        await small.goto(`${server.url}/${route}`);
        await small.locator('.content :is(h1, h2):visible').first().waitFor();
        await expect.poll(() => small.getByText(/Loading/).count()).toBe(0);
        await expectNoHorizontalOverflow(small);
      }
      await small.goto(`${server.url}/#/campaigns/${id}`);
      await small.getByTestId('progress-summary').waitFor();
      await small.getByRole('heading', { name: 'Funnel' }).waitFor();
      await expectNoHorizontalOverflow(small);
      await screenshot(small, 'phone-campaign');
      expect(cspViolations).toEqual([]);
    } finally {
      await phone.close();
    }
  }, 60_000);
});
