import type { LeadSyncStatus } from '../../api/routes/lead-sync-service';
import type { AdAccountRecord } from '../../db/models/ad-account';
import { when } from '../accounts-page';
import { html, page, type SafeHtml } from '../html';
import { NETWORK_NAMES } from '../pages';
import { linkTo, pageNav, type PageOf } from '../paging';

/** Lead sync health per account and form (LEAD-5), with "reconcile now". */

export interface AccountLeadSync {
  account: AdAccountRecord;
  status: LeadSyncStatus;
}

const dateOf = (value: Date | string | null | undefined) => (value ? new Date(value) : null);

/** The newest reconciliation the workflow or any form reports. */
export function lastReconcile(status: LeadSyncStatus): Date | null {
  const times = [status.lastReconcileAt, ...status.forms.map((f) => f.lastReconcileAt)].map(dateOf).filter((d): d is Date => d !== null);
  return times.length ? new Date(Math.max(...times.map((d) => d.getTime()))) : null;
}

function reconcileButton(accountId: string, csrfToken: string, form?: { formId: string; name: string }): SafeHtml {
  return html`<form method="post" action="/admin/lead-sync/${encodeURIComponent(accountId)}/reconcile" class="inline">
    <input type="hidden" name="_csrf" value="${csrfToken}">
    ${form ? html`<input type="hidden" name="formId" value="${form.formId}">` : ''}
    <button type="submit">${form ? html`Reconcile <span class="visually-hidden">${form.name}</span> now` : 'Reconcile now'}</button>
  </form>`;
}

function formsTable(item: AccountLeadSync, csrfToken: string): SafeHtml {
  const { status, account } = item;
  if (!status.forms.length) return html`<p>No lead form seen yet${status.enabled ? ' (the first sync lists them)' : ''}.</p>`;
  return html`<div class="table-scroll" role="region" aria-label="Lead forms of ${account.name}" tabindex="0"><table>
    <thead><tr><th scope="col">Form</th><th scope="col">Status</th><th scope="col">Last sync</th><th scope="col">Last error</th>
      <th scope="col" class="num">Leads at the network</th><th scope="col" class="num">Leads stored</th><th scope="col">Last reconcile</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
    <tbody>${status.forms.map(
      (f) => html`<tr data-form="${f.formId}">
        <th scope="row">${f.name || f.formId}<br><small>${f.formId}</small></th>
        <td>${f.status || '—'}</td>
        <td>${when(f.lastSyncAt)}</td>
        <td class="last-error">${f.lastError ? html`${f.lastError} <small>(${when(f.lastErrorAt)})</small>` : 'none'}</td>
        <td class="num leads-at-network">${f.leadsAtNetwork ?? 'unknown'}</td>
        <td class="num leads-stored">${f.leadsStored}</td>
        <td>${when(f.lastReconcileAt)}${f.missingFoundTotal ? html`<br><small>${f.missingFoundTotal} missing lead(s) found so far</small>` : ''}</td>
        <td>${status.running ? reconcileButton(account._id, csrfToken, { formId: f.formId, name: f.name || f.formId }) : ''}</td>
      </tr>`,
    )}</tbody>
  </table></div>`;
}

/**
 * One account's section. After "reconcile now" it asks for itself again (htmx) until the workflow
 * reports a reconciliation newer than the request, so the counts change without a reload.
 */
export function accountSection(item: AccountLeadSync, csrfToken: string, waitingSince?: Date): SafeHtml {
  const { account, status } = item;
  const last = lastReconcile(status);
  const waiting = waitingSince !== undefined && status.running && (last === null || last < waitingSince);
  const self = linkTo(`/admin/lead-sync/${encodeURIComponent(account._id)}/status`, { since: waitingSince?.toISOString() });
  return html`<section class="card lead-sync" id="lead-sync-${account._id.replace(/[^\w-]/g, '-')}" data-account="${account._id}" aria-labelledby="h-${account._id.replace(/[^\w-]/g, '-')}"
      ${waiting ? html`hx-get="${self}" hx-trigger="every 2s" hx-swap="outerHTML" aria-busy="true"` : ''}>
    <h2 id="h-${account._id.replace(/[^\w-]/g, '-')}">${account.name} <small>${NETWORK_NAMES[account.network]} · ${account.externalId}</small></h2>
    <dl>
      <dt>Lead sync</dt><dd class="lead-sync-switch">${status.enabled ? (status.running ? 'on, running' : 'on, not running') : 'off'}</dd>
      <dt>Last poll</dt><dd>${when(dateOf(status.lastPollAt))}</dd>
      <dt>Last reconcile</dt><dd class="last-reconcile">${waiting ? 'reconciling…' : when(last)}</dd>
      <dt>Last webhook</dt><dd>${when(status.lastWebhookAt)}</dd>
      <dt>Last error</dt><dd class="last-error">${status.lastError ? html`${status.lastError} <small>(${when(status.lastErrorAt)})</small>` : 'none'}</dd>
      <dt>Notifications waiting</dt><dd>${status.pendingNotifications}</dd>
    </dl>
    ${formsTable(item, csrfToken)}
    <div class="actions">
      ${status.running ? reconcileButton(account._id, csrfToken) : html`<p>Switch lead sync on from the <a href="/admin/accounts">accounts page</a> to sync and reconcile leads.</p>`}
    </div>
  </section>`;
}

export function leadSyncPage(o: { csrfToken: string; slice: PageOf<AccountLeadSync>; reconciling?: { accountId: string; since: Date } | undefined }): string {
  return page({
    title: 'Lead sync',
    csrfToken: o.csrfToken,
    body: html`<link rel="stylesheet" href="/admin/assets/events.css">
      ${o.reconciling ? html`<p class="notice" role="status">Reconciliation requested: the lead ids at the network are compared with those stored, and missing leads are stored.</p>` : ''}
      <p>Per ad account and lead form: when leads were last read, the last error, and how many leads the network has next to how many are stored.</p>
      ${o.slice.total
        ? o.slice.items.map((item) => accountSection(item, o.csrfToken, o.reconciling?.accountId === item.account._id ? o.reconciling.since : undefined))
        : html`<p>No ad account connected yet.</p>`}
      ${pageNav('/admin/lead-sync', {}, o.slice, 'Account pages')}`,
  });
}
