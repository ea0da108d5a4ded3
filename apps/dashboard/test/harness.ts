// What every browser test needs: a real runview server with the demo data on a loopback port,
// the built dashboard served with that server's URL, and Debian's Chromium.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createServer, type RunviewServer } from '@runview/server';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { serveDashboard } from '../scripts/serve.mjs';

export const chromiumPath = process.env['RUNVIEW_CHROMIUM'] ?? '/usr/bin/chromium';
export const hasChromium = existsSync(chromiumPath);

/** Screenshots land here (git-ignored). */
export const outputDir = new URL('../test-output/', import.meta.url);

export interface Harness {
  /** The server, for tests that add their own data to its database. */
  readonly server: RunviewServer;
  readonly apiUrl: string;
  readonly appUrl: string;
  readonly browser: Browser;
  readonly context: BrowserContext;
  /** A fresh tab on the dashboard. */
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const closers: (() => Promise<unknown>)[] = [];
  const close = async () => {
    for (const closer of closers.reverse()) await closer().catch(() => undefined);
  };
  try {
    await mkdir(outputDir, { recursive: true });
    const server = await createServer({ database: 'memory', seed: 'demo' });
    closers.push(() => server.close());
    const listening = await server.listen(0, '127.0.0.1');
    const apiUrl = listening.url.endsWith('/graphql') ? listening.url : new URL('/graphql', listening.url).toString();
    const app = await serveDashboard({ apiUrl });
    closers.push(() => app.close());
    const browser = await chromium.launch({
      executablePath: chromiumPath,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    closers.push(() => browser.close());
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, locale: 'en-GB', timezoneId: 'UTC' });
    context.setDefaultTimeout(30_000);
    return {
      server,
      apiUrl,
      appUrl: app.url,
      browser,
      context,
      newPage: () => context.newPage(),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
