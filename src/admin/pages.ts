import type { AdAccountInfo, Network } from '../networks/types';
import { html, page, type SafeHtml } from './html';

export const NETWORK_NAMES: Record<Network, string> = { facebook: 'Facebook', google: 'Google Ads', linkedin: 'LinkedIn' };

export const csrfField = (token: string) => html`<input type="hidden" name="_csrf" value="${token}">`;

export function signInPage(options: { next: string; failed?: boolean }): string {
  return page({
    title: 'Sign in',
    body: html`
      ${options.failed ? html`<p class="error" role="alert" id="sign-in-error">That token is not the admin token. Nothing was signed in.</p>` : ''}
      <form method="post" action="/admin/sign-in">
        <input type="hidden" name="next" value="${options.next}">
        <label for="token">Admin token</label>
        <input id="token" name="token" type="password" autocomplete="current-password" required
          ${options.failed ? html`aria-describedby="sign-in-error" aria-invalid="true"` : ''}>
        <p><button type="submit" class="primary">Sign in</button></p>
      </form>
      <p>The admin token is <code>ADMIN_API_TOKEN</code> (in development it is printed at start and kept in <code>.data/dev-secrets.json</code>).</p>`,
  });
}

/** Every failure of the console ends here: what happened, that nothing was stored, what to do. */
export function errorPage(options: { title: string; message: string; csrfToken?: string; retry?: { href: string; label: string } }): string {
  return page({
    title: options.title,
    ...(options.csrfToken ? { csrfToken: options.csrfToken } : {}),
    body: html`
      <div class="error" role="alert"><p id="error-message">${options.message}</p></div>
      <p class="actions">
        ${options.retry ? html`<a class="button primary" href="${options.retry.href}">${options.retry.label}</a>` : ''}
        <a class="button" href="/admin/accounts">Back to accounts</a>
      </p>`,
  });
}

export interface PickerAccount extends AdAccountInfo {
  alreadyConnected: boolean;
}

/** ACC-3: the accounts the grant reaches; only the ticked ones are stored. */
export function pickerPage(options: { network: Network; connectionId: string; accounts: PickerAccount[]; csrfToken: string; problem?: string }): string {
  const name = NETWORK_NAMES[options.network];
  const items = options.accounts.map(
    (account, i) => html`<li class="check">
      <input type="checkbox" name="externalId" value="${account.externalId}" id="pick-${i}" ${account.alreadyConnected ? html`checked` : ''}>
      <label for="pick-${i}">${account.name} <small>(${account.externalId}${account.currency ? `, ${account.currency}` : ''})</small>${account.alreadyConnected ? ' — already connected' : ''}</label>
    </li>`,
  );
  return page({
    title: `Choose ${name} ad accounts`,
    csrfToken: options.csrfToken,
    body: html`
      ${options.problem ? html`<p class="error" role="alert">${options.problem}</p>` : ''}
      <form method="post" action="/admin/connections/${options.network}/${options.connectionId}/accounts">
        ${csrfField(options.csrfToken)}
        <fieldset>
          <legend>Ad accounts this ${name} login reaches. Only the ones you tick are connected and tracked.</legend>
          ${options.accounts.length ? html`<ul class="plain">${items}</ul>` : html`<p>This login reaches no ad accounts.</p>`}
        </fieldset>
        <p class="check"><input type="checkbox" name="autoTracking" value="off" id="start-off">
          <label for="start-off">Start with auto-tracking off (preview what it would change first)</label></p>
        <p class="actions"><button type="submit" class="primary">Connect selected accounts</button> <a class="button" href="/admin/accounts">Cancel</a></p>
      </form>`,
  });
}

export function confirmDisconnectPage(options: { accountId: string; name: string; network: Network; csrfToken: string }): string {
  return page({
    title: 'Disconnect ad account?',
    csrfToken: options.csrfToken,
    body: html`
      <p>Disconnecting <strong>${options.name}</strong> (${NETWORK_NAMES[options.network]}) stops tracking and lead sync for it and deletes its
      tokens. Ads keep the parameters they have; the history stays.</p>
      <form method="post" action="/admin/accounts/${encodeURIComponent(options.accountId)}/disconnect" class="actions">
        ${csrfField(options.csrfToken)}
        <button type="submit" class="danger">Disconnect</button>
        <a class="button" href="/admin/accounts">Keep it connected</a>
      </form>`,
  });
}

export function toggleForm(options: { action: string; on: boolean; label: string; csrfToken: string; disabled?: boolean }): SafeHtml {
  return html`<form method="post" action="${options.action}" class="inline">
    ${csrfField(options.csrfToken)}
    <input type="hidden" name="enabled" value="${options.on ? 'false' : 'true'}">
    <button type="submit" role="switch" aria-checked="${options.on ? 'true' : 'false'}" ${options.disabled ? html`disabled` : ''}>${options.label}: ${options.on ? 'on' : 'off'}</button>
  </form>`;
}
