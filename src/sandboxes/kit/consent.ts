import { escapeHtml } from '../../admin/html';

/**
 * The authorization page every sandbox serves at its network's documented path: who is signed in at
 * the "network" (any seeded user can be picked, like a test login; `login_hint` preselects one), the
 * ad accounts they reach, the permissions asked, and Allow / Cancel. Both answers go back to the
 * app's redirect_uri as the network documents it.
 */
export interface ConsentView {
  network: string;
  appName: string;
  /** Path of this page; the decision is POSTed back to it. */
  path: string;
  /** The authorization request's query, carried through the user switch and the decision. */
  params: Record<string, string>;
  users: string[];
  user: string | undefined;
  accounts: { id: string; name: string }[];
  scopes: string[];
}

const hiddenFields = (params: Record<string, string>, skip: string[] = []) =>
  Object.entries(params)
    .filter(([name]) => !skip.includes(name))
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('');

export function consentPage(view: ConsentView): string {
  const e = escapeHtml;
  const userOptions = view.users.map((u) => `<option value="${e(u)}"${u === view.user ? ' selected' : ''}>${e(u)}</option>`).join('');
  const body = view.user
    ? `<form method="get" action="${e(view.path)}">${hiddenFields(view.params, ['login_hint'])}
        <label for="login_hint">Signed in to ${e(view.network)} as</label>
        <select id="login_hint" name="login_hint">${userOptions}</select> <button type="submit">Switch user</button>
      </form>
      <h2>${e(view.appName)} wants to manage your ad accounts</h2>
      <ul>${view.accounts.map((a) => `<li>${e(a.name)} (${e(a.id)})</li>`).join('') || '<li>(no ad accounts)</li>'}</ul>
      <p>Permissions: ${view.scopes.map(e).join(', ') || '(none asked)'}</p>
      <form method="post" action="${e(view.path)}">${hiddenFields({ ...view.params, login_hint: view.user })}
        <button type="submit" name="decision" value="allow">Allow</button>
        <button type="submit" name="decision" value="cancel">Cancel</button>
      </form>`
    : '<p>No user exists in this sandbox yet: seed it first (POST /_sandbox/seed).</p>';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Log in with ${e(view.network)} (sandbox)</title><link rel="icon" href="data:,"></head>
<body><main><h1>${e(view.network)} (sandbox)</h1>${body}</main></body></html>`;
}

/** Text fields of a query or urlencoded body (arrays and objects dropped). */
export function textFields(source: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries((source ?? {}) as Record<string, unknown>)) if (typeof value === 'string') out[name] = value;
  return out;
}

/** The redirect back to the app, with `state` echoed as every network does. */
export function redirectBack(redirectUri: string, answer: Record<string, string>, state: string | undefined): string {
  const target = new URL(redirectUri);
  for (const [name, value] of Object.entries(answer)) target.searchParams.set(name, value);
  if (state !== undefined) target.searchParams.set('state', state);
  return target.toString();
}
