import { existsSync } from 'node:fs';
import { ctdAtBarkleyCanyon, waitFor } from '@onc-orders/testkit';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSystemHarness, type SystemHarness } from '../support/system-harness.js';

// The order page in a real headless Chromium (Debian's; never a downloaded one), against the built api and worker
// processes and the ONC simulator: a person's view of an order from submission to its end.

const apiKey = 'page-key';
const chromiumPath = '/usr/bin/chromium';
const browserArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
];
// Eight one-day products of two files each, downloaded slowly enough (about a second a file, two at a time) that
// the progress can be seen to move, and the order cancelled while it runs.
const eightDays = { ...ctdAtBarkleyCanyon, dateFrom: '2016-07-01', dateTo: '2016-07-09' };
const fileSizeBytes = 96 * 1024;
// Markup that would run if a page ever handed a server's string to the HTML parser.
const hostileMarkup = '<img src=x onerror="document.title=\'pwned\'">';
const hostileName = `${hostileMarkup}.csv`;

describe('the order page in a browser', () => {
  let harness: SystemHarness;
  let apiUrl: string;
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    if (!existsSync(chromiumPath))
      throw new Error(`no browser at ${chromiumPath}: install Debian's (apt-get install -y chromium), as .ci/run does`);
    harness = await startSystemHarness({
      sim: {
        behaviour: { filesPerRun: 2, fileSizeBytes, metadataFile: false, bandwidthBytesPerSec: fileSizeBytes },
        // The markup test's one file, fast and named as a hostile server might.
        behaviourFor: (filters) =>
          filters['dateFrom']?.startsWith('2016-09-01')
            ? { filesPerRun: 1, fileSizeBytes: 64, bandwidthBytesPerSec: 0, fileNames: [hostileName] }
            : undefined,
      },
      env: { ONC_MAX_DOWNLOADS: '2' },
    });
    apiUrl = (await harness.startApi({ API_KEYS: apiKey })).url;
    harness.startWorker({}, 'worker');
    browser = await chromium.launch({ executablePath: chromiumPath, args: browserArgs });
    // The key as a browser gives it: the password of the Basic prompt.
    context = await browser.newContext({ httpCredentials: { username: 'operator', password: apiKey } });
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await harness?.close();
  });

  const submit = async (spec: unknown): Promise<string> => {
    const answer = await fetch(`${apiUrl}/orders`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(spec),
    });
    expect(answer.status).toBe(201);
    return ((await answer.json()) as { id: string }).id;
  };
  const text = async (page: Page, testid: string) => (await page.getByTestId(testid).first().textContent()) ?? '';
  const filesComplete = async (page: Page) => Number(await text(page, 'files-complete'));
  const pageShows = (what: string, read: () => Promise<boolean>, timeoutMs = 30_000) =>
    waitFor(`the page to show ${what}`, async () => ((await read()) ? true : undefined), {
      timeoutMs,
      intervalMs: 100,
    });

  it('asks for the key before showing anything', async () => {
    const stranger = await browser.newContext();
    try {
      const page = await stranger.newPage();
      const answered = page.waitForResponse(`${apiUrl}/`);
      // Headless, the browser's prompt goes unanswered and the navigation fails; the challenge is what counts.
      await page.goto(`${apiUrl}/`).catch(() => undefined);
      const answer = await answered;
      expect(answer.status()).toBe(401);
      expect(answer.headers()['www-authenticate']).toMatch(/^Basic /);
      expect(await answer.text()).not.toContain('order-page.js');
    } finally {
      await stranger.close();
    }
  });

  it('follows an order live, cancels it and restarts it from the page, to its end', async () => {
    const orderId = await submit({ label: 'eight days', filters: eightDays, split: 'P1D' });
    const page = await context.newPage();
    await page.goto(`${apiUrl}/orders/${orderId}/page`);
    await page.evaluate(() => {
      (globalThis as unknown as { notReloaded: boolean }).notReloaded = true;
    });
    expect(await text(page, 'order-title')).toContain('eight days');
    await pageShows('eight products', async () => (await page.getByTestId('product').count()) === 8);

    // The progress moves on the page by itself: the event stream, not a reload.
    await pageShows('some files done', async () => (await filesComplete(page)) >= 1);
    const seen = await filesComplete(page);
    await pageShows('more files done', async () => (await filesComplete(page)) > seen);
    expect(await page.evaluate(() => (globalThis as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    expect(await text(page, 'files-total')).not.toBe('0');
    const ordered = page.locator('[data-testid=product] [data-field=dpRequestId]').first();
    await pageShows('the dpRequestId ONC gave', async () => /^\d+$/.test((await ordered.textContent()) ?? ''));

    await page.getByTestId('cancel').click();
    await pageShows('the order cancelled', async () => (await text(page, 'order-status')) === 'cancelled');
    expect((await harness.view(orderId))?.status).toBe('cancelled');
    const doneWhenCancelled = await filesComplete(page);
    expect(doneWhenCancelled).toBeLessThan(16);
    await pageShows(
      'the cancel in its history',
      async () => (await page.getByTestId('history').textContent())?.includes('cancelled') ?? false,
    );
    await pageShows(
      'its products cancelled',
      async () => (await page.locator('[data-testid=product][data-status=cancelled]').count()) > 0,
    );

    await page.getByTestId('restart').click();
    await pageShows(
      'the order completed',
      async () => (await text(page, 'order-status')) === 'completed' && (await text(page, 'live')) === 'ended',
      60_000,
    );
    expect((await harness.view(orderId))?.status).toBe('completed');
    await pageShows('every file done', async () => (await filesComplete(page)) === 16);
    await pageShows(
      'every product complete',
      async () => (await page.locator('[data-testid=product][data-status=complete]').count()) === 8,
    );
    // Each product's files, by the paths they were written to.
    const firstFiles = page.locator('[data-testid=product]').first().getByTestId('files');
    const statuses = await firstFiles.locator('td[data-field=status]').allTextContents();
    expect(statuses.filter((status) => status === 'complete')).toHaveLength(2);
    expect(await firstFiles.locator('td[data-field=path]').first().textContent()).toContain(orderId);

    // From a product to its jobs on Bull Board.
    const product = page.locator('[data-testid=product]').first();
    await product.getByTestId('show-jobs').click();
    const jobLinks = product.getByTestId('jobs').locator('a');
    await pageShows('links to its jobs', async () => (await jobLinks.count()) >= 2);
    const href = await jobLinks.first().getAttribute('href');
    expect(href).toMatch(/^\/admin\/queues\/queue\/(control|downloads-onc)\//);
    const dashboard = await page.goto(`${apiUrl}${href ?? ''}`);
    expect(dashboard?.status()).toBe(200);
    await page.close();
  }, 120_000);

  it("shows a failed product's reason, and the orders filtered by status", async () => {
    const orderId = await submit({
      label: 'no such category',
      filters: { ...ctdAtBarkleyCanyon, deviceCategoryCode: 'NOSUCHCATEGORY' },
    });
    const page = await context.newPage();
    await page.goto(`${apiUrl}/orders/${orderId}/page`);
    await pageShows('the order failed', async () => (await text(page, 'order-status')) === 'failed');
    const reason = page.getByTestId('product-error');
    await pageShows('why the product failed', async () => (await reason.count()) === 1);
    expect(await reason.textContent()).toContain('filters.deviceCategoryCode');
    expect(await page.locator('[data-testid=product]').getAttribute('data-status')).toBe('failed');

    await page.goto(`${apiUrl}/`);
    await pageShows('both orders', async () => (await page.getByTestId('order-row').count()) === 2);
    await page.getByTestId('order-status-filter').selectOption('failed');
    await pageShows('only the failed one', async () => (await page.getByTestId('order-row').count()) === 1);
    expect(await page.getByTestId('order-row').getAttribute('data-order-id')).toBe(orderId);
    expect(page.url()).toContain('status=failed');
    await page.getByTestId('order-row').getByRole('link').click();
    await pageShows('its page', async () => (await text(page, 'order-title')).includes('no such category'));
    await page.close();
  }, 60_000);

  it('shows a label and a file name holding markup as text, never running it', async () => {
    const orderId = await submit({
      label: `label ${hostileMarkup}`,
      filters: { ...ctdAtBarkleyCanyon, dateFrom: '2016-09-01', dateTo: '2016-09-02' },
    });
    await harness.waitForOrder(orderId, ['completed']);
    const page = await context.newPage();
    await page.goto(`${apiUrl}/orders/${orderId}/page`);
    await pageShows('the order completed', async () => (await text(page, 'order-status')) === 'completed');
    await pageShows('its file', async () => (await page.locator('td[data-field=path]').count()) > 0);
    expect(await text(page, 'order-title')).toContain(hostileMarkup);
    const paths = await page.locator('td[data-field=path]').allTextContents();
    expect(paths.some((path) => path.includes('img src=x'))).toBe(true);
    expect(await page.locator('main img').count()).toBe(0);
    expect(await page.title()).toBe('onc-orders');

    await page.goto(`${apiUrl}/`);
    await pageShows('the orders', async () => (await page.getByTestId('order-row').count()) > 0);
    expect(await page.locator('main img').count()).toBe(0);
    expect(await page.getByRole('link', { name: `label ${hostileMarkup}` }).count()).toBe(1);
    await page.close();
  }, 60_000);
});
