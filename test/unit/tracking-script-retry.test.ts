import vm from 'node:vm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { trackingScript } from '../../src/api/tracking-script/script';

interface Answer {
  status: number;
  retryAfter?: string;
}

/** Runs /t.js in a minimal page with a scripted fetch; returns window.adtrack and the calls made. */
function loadScript(answers: Answer[]) {
  const calls: { url: string; body: string }[] = [];
  const fetch = (url: string, init: { body: string }) => {
    // The page's first page view goes out with fetch too (its answer is read for a refused origin).
    if (!url.includes('/t/forms/')) return Promise.resolve({ ok: true, status: 202, headers: { get: () => null } });
    calls.push({ url, body: init.body });
    const answer = answers.shift() ?? { status: 202 };
    return Promise.resolve({ ok: answer.status < 300, status: answer.status, headers: { get: (name: string) => (name.toLowerCase() === 'retry-after' ? (answer.retryAfter ?? null) : null) } });
  };
  const window: Record<string, unknown> = { fetch, crypto: globalThis.crypto, addEventListener: () => undefined };
  const document = { cookie: '', referrer: '', title: 'T', readyState: 'complete', querySelectorAll: () => [], addEventListener: () => undefined };
  const context = vm.createContext({
    window,
    document,
    location: { href: 'https://site.example/thanks', protocol: 'https:' },
    navigator: { sendBeacon: () => true },
    setTimeout,
    Promise,
    Uint8Array,
    Math,
    Number,
    JSON,
    encodeURIComponent,
    decodeURIComponent,
  });
  vm.runInContext(trackingScript('https://api.example'), context);
  return { adtrack: window.adtrack as { submitForm(formId: string, data: unknown): Promise<{ ok: boolean; status: number }> }, calls };
}

describe('/t.js under outages (issue 15 #11)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('issue15-11 a submission answered 503 is sent again after Retry-After with the same submissionId (idempotent), then succeeds', async () => {
    vi.useFakeTimers();
    const { adtrack, calls } = loadScript([{ status: 503, retryAfter: '5' }, { status: 202 }]);
    const result = adtrack.submitForm('contact-us', { email: 'a@example.com', fields: {} });
    await vi.advanceTimersByTimeAsync(4_999);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(await result).toEqual({ ok: true, status: 202 });
    expect(calls).toHaveLength(2);
    const [first, second] = calls.map((c) => JSON.parse(c.body) as { submissionId: string });
    expect(second!.submissionId).toBe(first!.submissionId);
  });

  it('gives up after three attempts and reports the failure to the page', async () => {
    vi.useFakeTimers();
    const { adtrack, calls } = loadScript([{ status: 503 }, { status: 503 }, { status: 503 }]);
    const result = adtrack.submitForm('contact-us', { email: 'a@example.com' });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(await result).toEqual({ ok: false, status: 503 });
    expect(calls).toHaveLength(3);
  });
});
