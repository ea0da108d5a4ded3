// The journeys that need a real browser against a real server: the app's own build served
// with a real runview server, in Debian's Chromium. Everything a DOM test checks as well
// (pages, filters, empty and error states, the log panel's filters and windowing, routing)
// is in the component tests; these are what only a browser can tell: a deep link through
// the built app and the real API, a live run pushed over the server's subscription, 100,000
// lines scrolled in a real layout, and the keyboard's path through a real focus order.
import { copyFile, mkdir } from 'node:fs/promises';
import { generateSynthetic, startSimulatedFlowRun } from '@runview/server';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { hasChromium, chromiumPath, outputDir, startHarness, type Harness } from './harness';

// The documentation's ids, which the demo data carries.
const SEED_RUN_ID = '4c0101af-c6bb-4b96-8661-63a5bbfb5596';
const WOODOO_LEOPARD_ID = '8e445d74-9ca6-425b-98e5-72754b7ea174';

if (!hasChromium) {
  console.warn(`Skipping the dashboard's browser tests: no Chromium at ${chromiumPath}. Install Debian's chromium or set RUNVIEW_CHROMIUM.`);
}

const screenshot = async (page: Page, name: string) => {
  const path = new URL(`${name}.png`, outputDir);
  await page.screenshot({ path: path.pathname, fullPage: true });
  return path;
};

/** Marks the document so a test can tell a live update from a reload. */
const markDocument = (page: Page) =>
  page.evaluate(() => {
    document.documentElement.dataset['testMark'] = 'kept';
  });
const documentKept = (page: Page) => page.evaluate(() => document.documentElement.dataset['testMark'] === 'kept');

// A browser on a shared 2-core machine can take a while to render; the limits are bounds, never timings.
describe.skipIf(!hasChromium)('the dashboard in Chromium against a real runview server', { timeout: 90_000 }, () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness();
  }, 120_000);

  afterAll(async () => {
    await harness.close();
  });

  test('a deep link by name opens the run, read from the real API', async () => {
    const page = await harness.newPage();
    await page.goto(`${harness.appUrl}/runs/by-name/woodoo-leopard`);
    await page.waitForURL(`**/runs/${WOODOO_LEOPARD_ID}`);
    await page.getByRole('heading', { level: 1, name: 'woodoo-leopard' }).waitFor();
    await expect.poll(() => page.locator('.run-header .state-badge').getAttribute('data-state')).toBe('Success');
    await expect.poll(() => page.getByRole('region', { name: 'Task runs', exact: true }).locator('tbody tr').count()).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('log-status').textContent()).toMatch(/^\d+ lines · complete$/);
    await page.close();

    // The documentation's screenshot is of the reference run, taken on request.
    if (process.env['RUNVIEW_UPDATE_DOCS_SCREENSHOT'] === '1') {
      const seed = await harness.newPage();
      await seed.goto(`${harness.appUrl}/runs/${SEED_RUN_ID}`);
      await expect.poll(() => seed.getByTestId('log-status').textContent()).toMatch(/^6 lines · complete/);
      const path = await screenshot(seed, 'flow-run');
      const docs = new URL('../../../docs/', import.meta.url);
      await mkdir(docs, { recursive: true });
      await copyFile(path, new URL('dashboard-flow-run.png', docs));
      await seed.close();
    }
  });

  test('a live run changes state and gains log lines without a reload', async () => {
    // The run waits in Scheduled until the page shows it, however slow the page is to load.
    let start = (): void => undefined;
    const startWhen = new Promise<void>((resolve) => {
      start = resolve;
    });
    // The smallest run that still has a task, a log line per task and a line after its end.
    const live = await startSimulatedFlowRun({ url: harness.apiUrl, stepMs: 50, taskCount: 1, logsPerTask: 1, startWhen });
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
    // The line the runner uploads after the final state is there too.
    await expect.poll(() => page.getByText('Flow run finished; the runner is shutting down.').count()).toBe(1);
    expect(await documentKept(page)).toBe(true);
    await screenshot(page, 'flow-run-live');
    await page.close();
  });

  test('a run with 100,000 log lines loads them all and scrolls through a window of them', async () => {
    const data = await generateSynthetic(harness.server.db, { flowRuns: 1, taskRunsPerRun: 1, logsPerRun: 100_000 });
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
      .poll(
        async () => {
          await view.evaluate((element) => {
            element.scrollTop = element.scrollHeight / 2;
          });
          const first = Number(await logs.getByRole('listitem').first().getAttribute('aria-posinset'));
          const last = Number(await logs.getByRole('listitem').last().getAttribute('aria-posinset'));
          return [first > 40_000, last < 60_000];
        },
        { timeout: 30_000 },
      )
      .toEqual([true, true]);
    expect(await logs.getByRole('listitem').count()).toBeLessThan(200);
    expect(await logs.getByRole('button', { name: 'Follow' }).getAttribute('aria-pressed')).toBe('false');
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
