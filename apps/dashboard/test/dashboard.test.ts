import { copyFile, mkdir } from 'node:fs/promises';
import { createServer as createHttpServer } from 'node:http';
import { DEMO, generateSynthetic, startSimulatedFlowRun } from '@runview/server';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { serveDashboard } from '../scripts/serve.mjs';
import { hasChromium, chromiumPath, outputDir, startHarness, type Harness } from './harness';

// The documentation's ids, which the demo data carries.
const SEED_RUN_ID = '4c0101af-c6bb-4b96-8661-63a5bbfb5596';
const WOODOO_LEOPARD_ID = '8e445d74-9ca6-425b-98e5-72754b7ea174';
/** The demo's failed run: extract raised, two ERROR lines among six. */
const FAILED_RUN_ID = DEMO.flowRuns.failed;
/** The demo's mapped run: a transform with 50 children. */
const MAPPED_RUN_ID = DEMO.flowRuns.mapped;
/** The demo's chatty run: 5,000 log lines. */
const CHATTY_RUN_ID = DEMO.flowRuns.chatty;

if (!hasChromium) {
  console.warn(`Skipping the dashboard's browser tests: no Chromium at ${chromiumPath}. Install Debian's chromium or set RUNVIEW_CHROMIUM.`);
}

const screenshot = async (page: Page, name: string) => {
  const path = new URL(`${name}.png`, outputDir);
  await page.screenshot({ path: path.pathname, fullPage: true });
  return path;
};

/** Marks the document so a test can tell a live update from a reload. */
const markDocument = (page: Page) => page.evaluate(() => { document.documentElement.dataset['testMark'] = 'kept'; });
const documentKept = (page: Page) => page.evaluate(() => document.documentElement.dataset['testMark'] === 'kept');

describe.skipIf(!hasChromium)('the dashboard in Chromium against a real runview server', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness();
  });

  afterAll(async () => {
    await harness.close();
  });

  test('the runs page lists runs and finds woodoo-leopard by name', async () => {
    const page = await harness.newPage();
    await page.goto(`${harness.appUrl}/runs`);
    await expect.poll(() => page.locator('table tbody tr').count()).toBeGreaterThan(3);
    await screenshot(page, 'runs');

    await page.getByRole('searchbox', { name: 'Flow run name' }).fill('woodoo-leopard');
    await page.getByRole('button', { name: 'Find' }).click();
    const row = page.getByRole('row', { name: /woodoo-leopard/ });
    await row.waitFor();
    expect(await row.textContent()).toContain(WOODOO_LEOPARD_ID);
    expect(await row.textContent()).toContain('Success');
    expect(new URL(page.url()).searchParams.get('name')).toBe('woodoo-leopard');
    await screenshot(page, 'runs-search');

    await row.getByRole('link', { name: 'woodoo-leopard' }).click();
    await page.waitForURL(`**/runs/${WOODOO_LEOPARD_ID}`);
    await page.getByRole('heading', { level: 1, name: 'woodoo-leopard' }).waitFor();
    await page.close();
  });

  test('the search finds runs by a part of their name, in any case', async () => {
    const page = await harness.newPage();
    await page.goto(`${harness.appUrl}/runs?name=NARWHAL`);
    await page.getByRole('row', { name: /cosmic-narwhal/ }).waitFor();
    expect(await page.textContent('main')).toContain('One flow run whose name contains “NARWHAL”');
    await page.goto(`${harness.appUrl}/runs?name=o`);
    const rows = page.getByRole('region', { name: 'Flow runs whose name contains “o”' }).locator('tbody tr');
    await expect.poll(() => rows.count()).toBeGreaterThan(2);
    for (const text of await rows.allTextContents()) expect(text.toLowerCase()).toContain('o');
    await page.goto(`${harness.appUrl}/runs?name=zzz-nothing`);
    await page.getByText('No flow run name contains “zzz-nothing”.').waitFor();
    await page.close();
  });

  test("the seed's flow run shows Success, its three task runs and its six logs", async () => {
    const page = await harness.newPage();
    await page.goto(`${harness.appUrl}/runs/${SEED_RUN_ID}`);
    const header = page.locator('.run-header');
    await header.getByText('Success', { exact: true }).waitFor();
    await expect.poll(() => page.getByTestId('state-message').textContent()).toBe('All reference tasks succeeded.');
    expect(await page.title()).toMatch(/\(Success\) · runview$/);

    const taskRuns = page.getByRole('region', { name: 'Task runs', exact: true });
    await expect.poll(() => taskRuns.locator('tbody tr').count()).toBe(3);
    await expect.poll(() => taskRuns.getByTestId('task-run-total').textContent()).toBe('3 task runs');

    const logs = page.getByRole('region', { name: 'Logs', exact: true });
    await expect.poll(() => logs.getByTestId('log-status').textContent()).toMatch(/^6 lines · complete/);
    await expect.poll(() => logs.getByRole('listitem').count()).toBe(6);
    expect(await logs.getByRole('listitem').last().textContent()).toContain('Flow run SUCCESS');
    // The run spans five weeks: the date heads the first line and the line where it changes.
    const times = await logs.locator('time').allTextContents();
    expect(times).toEqual(['1978-03-0822:30:00.000', '22:30:01.123', '22:30:02.234', '22:42:42.424', '1978-04-1222:59:59.987', '23:00:00.000']);

    await expect.poll(() => page.getByRole('region', { name: 'State history', exact: true }).getByRole('listitem').count()).toBeGreaterThan(1);
    await page.getByRole('region', { name: 'Flow', exact: true }).getByRole('link').first().waitFor();

    const path = await screenshot(page, 'flow-run');
    if (process.env['RUNVIEW_UPDATE_DOCS_SCREENSHOT'] === '1') {
      const docs = new URL('../../../docs/', import.meta.url);
      await mkdir(docs, { recursive: true });
      await copyFile(path, new URL('dashboard-flow-run.png', docs));
    }
    await page.close();
  });

  test('a live run changes state and gains log lines without a reload', async () => {
    // The run waits in Scheduled until the page shows it, however slow the page is to load.
    let start = (): void => undefined;
    const startWhen = new Promise<void>((resolve) => {
      start = resolve;
    });
    const live = await startSimulatedFlowRun({ url: harness.apiUrl, stepMs: 300, startWhen });
    const page = await harness.newPage();
    await page.goto(`${harness.appUrl}/runs/${live.flowRunId}`);
    const badge = page.locator('.run-header .state-badge');
    await expect.poll(() => badge.getAttribute('data-state')).toBe('Scheduled');
    const linesAt = async () => Number.parseInt((await page.getByTestId('log-status').textContent())?.replace(/,/g, '') ?? '0', 10);
    await expect.poll(() => page.getByTestId('log-status').textContent()).toMatch(/^0 lines/);
    await markDocument(page);
    start();

    await expect.poll(() => badge.getAttribute('data-state')).not.toBe('Scheduled');
    await expect.poll(linesAt).toBeGreaterThan(0);
    await live.done;
    await expect.poll(() => badge.getAttribute('data-state')).toMatch(/^(Success|Failed)$/);
    // Every table catches up with the end of the run, not only the header.
    const taskRuns = page.getByRole('region', { name: 'Task runs', exact: true });
    await expect.poll(() => taskRuns.locator('.task-summary').textContent()).not.toMatch(/Running|Pending|Scheduled/);
    await expect.poll(() => page.getByTestId('log-status').textContent()).toMatch(/complete$/);
    expect(await documentKept(page)).toBe(true);
    await screenshot(page, 'flow-run-live');
    await page.close();
  });

  test('an unknown run id, name or address shows a not-found page', async () => {
    const page = await harness.newPage();
    await page.goto(`${harness.appUrl}/runs/00000000-0000-4000-8000-000000000000`);
    await page.getByRole('heading', { level: 1, name: 'Flow run not found' }).waitFor();
    expect(await page.textContent('main')).toContain('00000000-0000-4000-8000-000000000000');
    await screenshot(page, 'not-found');

    await page.goto(`${harness.appUrl}/runs/by-name/no-such-run`);
    await page.getByRole('heading', { level: 1, name: 'Flow run not found' }).waitFor();
    await page.goto(`${harness.appUrl}/runs/not-an-id`);
    await page.getByRole('heading', { level: 1, name: 'Flow run not found' }).waitFor();

    await page.getByRole('link', { name: 'Browse flow runs' }).click();
    await page.getByRole('heading', { level: 1, name: 'Flow runs' }).waitFor();
    await page.close();
  });

  test('filters that match nothing say so and offer to clear them', async () => {
    const page = await harness.newPage();
    await page.goto(`${harness.appUrl}/runs?state=Cancelled`);
    await page.getByText('No flow runs match these filters.').waitFor();
    await page.getByRole('button', { name: 'Clear filters' }).first().click();
    await expect.poll(() => page.locator('table tbody tr').count()).toBeGreaterThan(3);
    expect(new URL(page.url()).searchParams.has('state')).toBe(false);
    await page.close();
  });

  test('an API that cannot be reached is named, with what to do and a retry', async () => {
    // A port that was just free: nothing listens there.
    const probe = createHttpServer();
    await new Promise<void>((resolve) => { probe.listen(0, '127.0.0.1', resolve); });
    const address = probe.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    await new Promise<void>((resolve) => { probe.close(() => { resolve(); }); });
    const unreachable = `http://127.0.0.1:${port}/graphql`;
    const app = await serveDashboard({ apiUrl: unreachable });
    try {
      const page = await harness.newPage();
      await page.goto(`${app.url}/runs`);
      const alert = page.getByRole('alert');
      await alert.waitFor();
      expect(await alert.textContent()).toContain('Cannot reach the API');
      expect(await alert.textContent()).toContain(unreachable);
      await alert.getByRole('button', { name: 'Try again' }).waitFor();
      await screenshot(page, 'error');
      await page.close();
    } finally {
      await app.close();
    }
  });

  test('a deep link by name opens the run', async () => {
    const page = await harness.newPage();
    await page.goto(`${harness.appUrl}/runs/by-name/woodoo-leopard`);
    await page.waitForURL(`**/runs/${WOODOO_LEOPARD_ID}`);
    await page.getByRole('heading', { level: 1, name: 'woodoo-leopard' }).waitFor();
    await page.close();
  });

  test('a mapped task is one row with its children counted by state, expandable to the children', async () => {
    const page = await harness.newPage();
    await page.goto(`${harness.appUrl}/runs/${MAPPED_RUN_ID}`);
    const taskRuns = page.getByRole('region', { name: 'Task runs', exact: true });
    const parent = taskRuns.getByRole('row', { name: /transform/ });
    await parent.getByText('50 mapped runs:').waitFor();
    expect(await parent.locator('.state-counts__text').textContent()).toMatch(/\d+ Success · \d+ Failed/);
    await parent.getByRole('button', { name: 'Mapped runs' }).click();
    const children = page.getByRole('table', { name: /Mapped runs of transform/ });
    await expect.poll(() => children.locator('tbody tr').count()).toBe(25);
    await page.getByRole('navigation', { name: /Pages of mapped runs/ }).getByRole('button', { name: 'Next ›' }).click();
    await expect.poll(() => children.locator('tbody tr').first().locator('th').textContent()).toBe('25');
    await screenshot(page, 'flow-run-mapped');
    await page.close();
  });

  test('the log panel filters by level and by task', async () => {
    const page = await harness.newPage();
    await page.goto(`${harness.appUrl}/runs/${FAILED_RUN_ID}`);
    const logs = page.getByRole('region', { name: 'Logs', exact: true });
    await expect.poll(() => logs.getByTestId('log-status').textContent()).toMatch(/^6 lines · complete/);

    for (const level of ['DEBUG', 'INFO', 'WARNING']) await logs.getByLabel(level).uncheck();
    await expect.poll(() => logs.getByTestId('log-status').textContent()).toMatch(/^2 lines · complete/);
    expect(await logs.locator('.log-line__level').allTextContents()).toEqual(['ERROR', 'ERROR']);

    for (const level of ['DEBUG', 'INFO', 'WARNING']) await logs.getByLabel(level).check();
    await page.getByRole('button', { name: 'Show logs of extract' }).click();
    await expect.poll(() => page.getByLabel('Task', { exact: true }).inputValue()).not.toBe('all');
    await expect.poll(() => logs.getByTestId('log-status').textContent()).toMatch(/^[1-5] lines? · complete/);
    expect(new Set(await logs.locator('.log-line__source').allTextContents())).toEqual(new Set(['extract']));
    await page.close();
  });

  test('the log panel keeps only the lines in view in the page for a run with 5,000 lines', async () => {
    const page = await harness.newPage();
    await page.goto(`${harness.appUrl}/runs/${CHATTY_RUN_ID}`);
    const logs = page.getByRole('region', { name: 'Logs', exact: true });
    await expect.poll(() => logs.getByTestId('log-status').textContent()).toMatch(/^5,000 lines · complete/);
    // Following: the newest line is in view, and only a screenful of lines is in the DOM.
    await expect.poll(() => logs.locator('[aria-posinset="5000"]').count()).toBe(1);
    expect(await logs.getByRole('listitem').count()).toBeLessThan(200);

    await logs.getByRole('region', { name: 'Log lines' }).evaluate((element) => { element.scrollTop = 0; });
    await expect.poll(() => logs.locator('[aria-posinset="1"]').count()).toBe(1);
    expect(await logs.getByRole('button', { name: 'Follow' }).getAttribute('aria-pressed')).toBe('false');
    expect(await logs.getByRole('listitem').count()).toBeLessThan(200);
    await page.close();
  });

  test('a run with 100,000 log lines loads them all and scrolls through a window of them', async () => {
    const data = await generateSynthetic(harness.server.db, { flowRuns: 1, logsPerRun: 100_000 });
    const [flowRunId] = data.flowRunIds;
    const page = await harness.newPage();
    await page.goto(`${harness.appUrl}/runs/${flowRunId ?? ''}`);
    const logs = page.getByRole('region', { name: 'Logs', exact: true });
    await expect.poll(() => logs.getByTestId('log-status').textContent(), { timeout: 120_000 }).toMatch(/^100,000 lines · complete/);
    await expect.poll(() => logs.locator('[aria-posinset="100000"]').count()).toBe(1);
    expect(await logs.getByRole('listitem').count()).toBeLessThan(200);

    // Jump to the middle: the lines there are rendered, and still only a window of them.
    const view = logs.getByRole('region', { name: 'Log lines' });
    // A person scrolls again if the list moved under them while it settled; so does the test.
    await expect
      .poll(async () => {
        await view.evaluate((element) => { element.scrollTop = element.scrollHeight / 2; });
        const first = Number(await logs.getByRole('listitem').first().getAttribute('aria-posinset'));
        const last = Number(await logs.getByRole('listitem').last().getAttribute('aria-posinset'));
        return [first > 40_000, last < 60_000];
      }, { timeout: 30_000 })
      .toEqual([true, true]);
    expect(await logs.getByRole('listitem').count()).toBeLessThan(200);
    await screenshot(page, 'flow-run-100k-logs');
    await page.close();
  }, 240_000);

  test('the keyboard reaches a run row and opens it', async () => {
    const page = await harness.newPage();
    await page.goto(`${harness.appUrl}/runs`);
    await page.locator('[data-row-link]').first().waitFor();
    let onRow = false;
    for (let presses = 0; presses < 40 && !onRow; presses += 1) {
      await page.keyboard.press('Tab');
      onRow = await page.evaluate(() => document.activeElement?.matches('[data-row-link]') ?? false);
    }
    expect(onRow).toBe(true);
    await page.keyboard.press('ArrowDown');
    const target = await page.evaluate(() => document.activeElement?.getAttribute('href'));
    expect(await page.locator('[data-row-link]').nth(1).getAttribute('href')).toBe(target);
    await page.keyboard.press('Enter');
    await page.waitForURL(`**${target ?? ''}`);
    await page.getByRole('region', { name: 'Logs', exact: true }).waitFor();
    await page.close();
  });
});
