import type { Network } from '../networks/types';

/**
 * The `npm start` demo: seeds each sandbox with a deterministic world (every ad kind, every landing
 * URL kind), connects its accounts through the real OAuth + API path, and reports what the first
 * sweep did. Re-running it after a restart reconnects the same accounts (same seed → same ids).
 */
const REDIRECT_URI = 'http://localhost/oauth/callback';
const NETWORKS: Network[] = ['facebook', 'google', 'linkedin'];

export interface DemoOptions {
  apiUrl: string;
  adminToken: string;
  sandboxUrls: Record<Network | 'landing', string>;
  say: (line: string) => void;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are read loosely (see eslint.config.mjs)
type Loose = any;

async function call(method: string, url: string, body?: unknown, token?: string): Promise<{ status: number; body: Loose }> {
  const res = await fetch(url, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) };
}

export const DEMO_FORM_NAME = 'Demo landing page';

/**
 * The landing site's form submits to a form of this system: found by name (a restart reuses it) or
 * created, then handed to the landing site, so "Send" on a demo page creates a contact.
 */
export async function wireLandingForm(options: Pick<DemoOptions, 'apiUrl' | 'adminToken'> & { landingUrl: string }): Promise<string> {
  const api = (method: string, path: string, body?: unknown) => call(method, `${options.apiUrl}${path}`, body, options.adminToken);
  const forms = await api('GET', '/api/forms');
  let formId: string | undefined = (forms.body?.items as { id: string; name: string }[] | undefined)?.find((f) => f.name === DEMO_FORM_NAME)?.id;
  if (!formId) {
    const created = await api('POST', '/api/forms', { name: DEMO_FORM_NAME, alwaysCreateNewContact: false });
    if (created.status !== 201) throw new Error(`creating the demo form failed (${created.status})`);
    formId = created.body.id as string;
  }
  const handed = await call('PUT', `${options.landingUrl}/_sandbox/form`, { formId });
  if (handed.status !== 200) throw new Error(`the landing site refused the demo form (${handed.status})`);
  return formId;
}

export async function runDemo(options: DemoOptions): Promise<void> {
  const api = (method: string, path: string, body?: unknown) => call(method, `${options.apiUrl}${path}`, body, options.adminToken);
  // The ad accounts still connect when this fails: it only costs the landing form.
  await wireLandingForm({ ...options, landingUrl: options.sandboxUrls.landing }).then(
    () => options.say(`demo: the landing site's form (${options.sandboxUrls.landing}/p/<slug>) creates contacts through "${DEMO_FORM_NAME}"`),
    (error: unknown) => options.say(`demo: the landing form is not wired (${error instanceof Error ? error.message : String(error)})`),
  );
  const accountIds: string[] = [];
  for (const network of NETWORKS) {
    const sandbox = options.sandboxUrls[network];
    const seeded = await call('POST', `${sandbox}/_sandbox/seed`, { seed: 42, accounts: 3, adsPerAccount: 12, landingBaseUrl: options.sandboxUrls.landing });
    if (seeded.status !== 200) throw new Error(`${network} sandbox seed failed (${seeded.status})`);
    const user = typeof seeded.body.user === 'string' ? seeded.body.user : seeded.body.user?.handle ?? seeded.body.user?.id ?? 'demo-user';
    const issued = await call('POST', `${sandbox}/_sandbox/oauth/codes`, { user, redirectUri: REDIRECT_URI });
    const connection = await api('POST', '/api/connections', { network, code: issued.body.code, redirectUri: REDIRECT_URI });
    if (connection.status !== 201) throw new Error(`${network}: connecting failed (${connection.status} ${JSON.stringify(connection.body?.error)})`);
    for (const account of connection.body.adAccounts as { externalId: string; name: string }[]) {
      const added = await api('POST', '/api/accounts', { connectionId: connection.body.id, externalId: account.externalId });
      if (added.status >= 300) throw new Error(`${network} ${account.externalId}: ${JSON.stringify(added.body?.error)}`);
      if (added.body.connectionId !== connection.body.id) {
        // Known from an earlier run: its old token died with the old sandbox world; hand it the new grant.
        await api('POST', `/api/accounts/${encodeURIComponent(added.body.id)}/reconnect`, { connectionId: connection.body.id });
      }
      accountIds.push(added.body.id);
    }
    options.say(`demo: ${network} — ${connection.body.adAccounts.length} sandbox ad accounts connected`);
  }

  const deadline = Date.now() + 90_000;
  const pending = new Set(accountIds);
  const lines: string[] = [];
  while (pending.size > 0 && Date.now() < deadline) {
    for (const id of [...pending]) {
      const res = await api('GET', `/api/accounts/${encodeURIComponent(id)}`);
      const live = res.body?.live;
      if (live?.sweeps >= 1) {
        pending.delete(id);
        const errors = await api('GET', `/api/accounts/${encodeURIComponent(id)}/ads?trackingStatus=error&limit=50`);
        const reasons = [...new Set((errors.body?.items ?? []).map((ad: { error?: { code: string } }) => ad.error?.code))].join(', ');
        lines.push(`  ${id.padEnd(30)} tracked ${live.counts.tracked}, errors ${live.counts.error}${reasons ? ` (${reasons})` : ''}, excluded ${live.counts.excluded}`);
      }
    }
    if (pending.size > 0) await new Promise((r) => setTimeout(r, 1_000));
  }
  options.say(`demo: first sweep results\n${lines.sort().join('\n')}${pending.size ? `\n  (still sweeping: ${[...pending].join(', ')})` : ''}`);
}
