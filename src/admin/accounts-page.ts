import type { ApiContext } from '../api/context';
import type { AdAccountRecord } from '../db/models/ad-account';
import type { TrackingStatus } from '../db/models/ad';
import type { LeadSyncAccountDoc } from '../db/models/lead-sync-state';
import { NETWORKS } from '../networks/types';
import { html, page, type SafeHtml } from './html';
import { NETWORK_NAMES, toggleForm } from './pages';

const STATUSES: TrackingStatus[] = ['tracked', 'pending', 'error', 'excluded'];
const STATUS_LABELS: Record<AdAccountRecord['status'], string> = { active: 'Active', needs_reconnect: 'Needs reconnect', disconnected: 'Disconnected' };

type Counts = Partial<Record<TrackingStatus, number>>;

async function countsByAccount(ctx: ApiContext, accountKeys: string[]): Promise<Map<string, Counts>> {
  const rows = await ctx.db.models.Ad.aggregate<{ _id: { account: string; status: TrackingStatus }; n: number }>([
    { $match: { accountKey: { $in: accountKeys } } },
    { $group: { _id: { account: '$accountKey', status: '$trackingStatus' }, n: { $sum: 1 } } },
  ]);
  const counts = new Map<string, Counts>();
  for (const row of rows) {
    const entry = counts.get(row._id.account) ?? {};
    entry[row._id.status] = row.n;
    counts.set(row._id.account, entry);
  }
  return counts;
}

export const when = (date: Date | null | undefined) => (date ? new Date(date).toISOString().replace('T', ' ').slice(0, 19) + ' UTC' : 'not yet');

/**
 * The sweep cell: counts per tracking status and the last sweep. Until the first sweep of an active
 * account has finished it asks for itself again (htmx), so the counts appear without a reload.
 */
export function statsFragment(account: AdAccountRecord, counts: Counts): SafeHtml {
  const waiting = account.status === 'active' && !account.lastSweepAt;
  const url = `/admin/accounts/${encodeURIComponent(account._id)}/stats`;
  return html`<div class="stats" data-account="${account._id}" aria-live="polite"
      ${waiting ? html`hx-get="${url}" hx-trigger="every 2s" hx-swap="outerHTML"` : ''}>
    <dl>
      <dt>Last sweep</dt><dd class="last-sweep">${waiting ? 'first sweep running…' : when(account.lastSweepAt)}</dd>
      ${STATUSES.map((status) => html`<dt>${status[0]!.toUpperCase() + status.slice(1)} ads</dt><dd class="count-${status}">${counts[status] ?? 0}</dd>`)}
    </dl>
  </div>`;
}

export async function accountStats(ctx: ApiContext, account: AdAccountRecord): Promise<SafeHtml> {
  return statsFragment(account, (await countsByAccount(ctx, [account._id])).get(account._id) ?? {});
}

function accountCard(account: AdAccountRecord, counts: Counts, leadSync: boolean, csrfToken: string): SafeHtml {
  const base = `/admin/accounts/${encodeURIComponent(account._id)}`;
  const active = account.status !== 'disconnected';
  return html`<li class="account" data-account="${account._id}">
    <h3>${account.name}</h3>
    <dl>
      <dt>Account</dt><dd>${account.externalId}</dd>
      <dt>Status</dt><dd class="status status-${account.status}">${STATUS_LABELS[account.status]}</dd>
      ${account.lastError ? html`<dt>Last error</dt><dd class="last-error">${account.lastError}</dd>` : ''}
    </dl>
    ${statsFragment(account, counts)}
    <div class="actions">
      ${toggleForm({ action: `${base}/auto-tracking`, on: account.autoTracking, label: 'Auto-tracking', csrfToken, disabled: !active })}
      ${toggleForm({ action: `${base}/lead-sync`, on: leadSync, label: 'Lead sync', csrfToken, disabled: !active && !leadSync })}
      <a class="button" href="${base}/ads">Ads</a>${account.autoTracking || !active ? '' : html` <a class="button" href="${base}/preview">Preview tracking</a>`}
      ${account.status === 'needs_reconnect' ? html`<a class="button" href="/connect/${account.network}">Reconnect</a>` : ''}
      ${active ? html`<a class="button" href="${base}/disconnect">Disconnect</a>` : ''}
    </div>
  </li>`;
}

export async function accountsPage(ctx: ApiContext, csrfToken: string, notice?: string): Promise<string> {
  const accounts = await ctx.db.models.AdAccount.find().sort({ network: 1, name: 1, _id: 1 }).lean<AdAccountRecord[]>();
  const counts = await countsByAccount(ctx, accounts.map((a) => a._id));
  const switches = await ctx.db.models.LeadSyncAccount.find({ _id: { $in: accounts.map((a) => a._id) } }).lean<LeadSyncAccountDoc[]>();
  const leadSync = new Map(switches.map((s) => [s._id, s.enabled]));
  const sections = NETWORKS.map((network) => {
    const mine = accounts.filter((a) => a.network === network);
    return html`<section aria-labelledby="net-${network}" id="network-${network}">
      <h2 id="net-${network}">${NETWORK_NAMES[network]}</h2>
      <p><a class="button primary" href="/connect/${network}">Connect ${NETWORK_NAMES[network]} account</a></p>
      ${mine.length
        ? html`<ul class="accounts">${mine.map((a) => accountCard(a, counts.get(a._id) ?? {}, leadSync.get(a._id) ?? false, csrfToken))}</ul>`
        : html`<p>No ${NETWORK_NAMES[network]} ad account connected yet.</p>`}
    </section>`;
  });
  return page({
    title: 'Ad accounts',
    csrfToken,
    body: html`${notice ? html`<p class="notice" role="status">${notice}</p>` : ''}${sections}`,
  });
}
