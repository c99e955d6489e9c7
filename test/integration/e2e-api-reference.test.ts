import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app';
import type { ApiContext } from '../../src/api/context';
import { OPERATIONS } from '../../src/api/openapi/operations';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logging';
import { listen } from '../../src/sandboxes/kit/sandbox-app';
import { useBrowser } from '../support/browser';

/**
 * Issue 14: the reference page renders every operation of /openapi.json in a real browser, under the
 * API's Content-Security-Policy, with no request leaving this server.
 */
describe('API reference page (/docs) in headless Chromium', () => {
  const t = useBrowser();

  it('renders every documented operation from local assets only, without console errors', async () => {
    const config = loadConfig({ NODE_ENV: 'test', ADMIN_API_TOKEN: 'a'.repeat(32), ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 1).toString('base64')}` });
    // Only the contract pages are requested: nothing reaches Temporal or the database.
    const app = createApp({ config, logger: createLogger({ level: 'silent' }), db: {}, temporal: {}, codec: {}, temporalReady: async () => false } as unknown as ApiContext);
    const server = await listen(app);
    const context = await t.browser.newContext();
    try {
      const page = await context.newPage();
      const errors: string[] = [];
      const elsewhere: string[] = [];
      page.on('console', (message) => void (message.type() === 'error' && errors.push(message.text())));
      page.on('request', (request) => void (!request.url().startsWith(server.url) && !request.url().startsWith('data:') && elsewhere.push(request.url())));
      await page.goto(`${server.url}/docs`);
      await page.locator('.opblock').first().waitFor({ timeout: 30_000 });
      expect(await page.locator('.opblock').count()).toBe(OPERATIONS.length);
      await expect.poll(() => page.locator('.opblock-summary-path').filter({ hasText: '/api/accounts/{id}/auto-tracking' }).count()).toBe(1);
      expect(errors).toEqual([]);
      expect(elsewhere).toEqual([]);
    } finally {
      await context.close();
      await server.close();
    }
  });
});
