import type { AdDoc } from '../../db/models/ad';
import type { AdAccountRecord } from '../../db/models/ad-account';
import type { AdAuditEntry } from '../../db/models/ad-audit';
import type { AdMetricDay } from '../../db/models/ad-metric';
import { adviceFor } from '../../domain/tracking';
import { html, page, type SafeHtml } from '../html';
import { csrfField, NETWORK_NAMES } from '../pages';
import { metricsChart } from './chart';

export const TRACKING_FILTERS = ['tracked', 'pending', 'error', 'excluded'] as const;
export type TrackingFilter = (typeof TRACKING_FILTERS)[number];
const FILTER_LABELS: Record<TrackingFilter | 'all', string> = { all: 'All', tracked: 'Tracked', pending: 'Pending', error: 'Errors', excluded: 'Excluded' };

export const adHref = (ad: Pick<AdDoc, '_id'>) => `/admin/ads/${encodeURIComponent(ad._id)}`;
const accountHref = (account: Pick<AdAccountRecord, '_id'>) => `/admin/accounts/${encodeURIComponent(account._id)}`;
const when = (date: Date | string | null | undefined) => (date ? new Date(date).toISOString().replace('T', ' ').slice(0, 16) + ' UTC' : '—');

/** The reason in words and what to do about it (TRK-11). */
export function reasonBlock(reason: { code: string; message: string } | null | undefined): SafeHtml {
  if (!reason) return html``;
  const advice = adviceFor(reason.code);
  return html`<div class="reason" data-reason="${reason.code}">
    <p><strong>${advice?.title ?? reason.code}</strong>: ${reason.message}</p>
    ${advice ? html`<p class="what-to-do"><span class="label">What to do:</span> ${advice.whatToDo}</p>` : ''}
  </div>`;
}

export function paramList(params: Record<string, string>): SafeHtml {
  const entries = Object.entries(params);
  if (entries.length === 0) return html`<span class="muted">none</span>`;
  return html`<ul class="params">${entries.map(([key, value]) => html`<li data-key="${key}" data-value="${value}"><code>${key}=${value}</code></li>`)}</ul>`;
}

const fixAlertLink = (ad: AdDoc) =>
  ad.reason?.code === 'ENGAGEMENT_CAP' && !ad.engagementCapOverride ? html`<a class="button primary" href="${adHref(ad)}/fix-alert">Fix alert</a>` : '';

function adCard(ad: AdDoc): SafeHtml {
  return html`<li class="ad-card" data-ad="${ad._id}" data-status="${ad.trackingStatus}">
    <h3><a href="${adHref(ad)}">${ad.name || ad.adId}</a></h3>
    <p class="muted">${ad.campaign?.name ?? ''} · ${ad.format} · ad ${ad.adId}</p>
    <p>Tracking: <span class="tracking tracking-${ad.trackingStatus}">${ad.trackingStatus}</span>${ad.engagementCapOverride && ad.trackingStatus !== 'tracked' ? ' (fix accepted: tracking is added on the next sweep)' : ''}</p>
    ${reasonBlock(ad.reason)}
    <div class="actions">${fixAlertLink(ad)}</div>
  </li>`;
}

export interface AdsPageInput {
  account: AdAccountRecord;
  ads: AdDoc[];
  filter: TrackingFilter | undefined;
  cursor: string | undefined;
  nextCursor: string | null;
  csrfToken: string;
  notice?: string;
}

/** Issue 13 "Ads of an account": filter by tracking status, paged by cursor. */
export function adsPage(input: AdsPageInput): string {
  const base = `${accountHref(input.account)}/ads`;
  const filterHref = (f: TrackingFilter | 'all') => (f === 'all' ? base : `${base}?status=${f}`);
  const current = input.filter ?? 'all';
  const withCursor = (cursor: string) => `${base}?${new URLSearchParams({ ...(input.filter ? { status: input.filter } : {}), cursor }).toString()}`;
  return page({
    title: `Ads of ${input.account.name}`,
    csrfToken: input.csrfToken,
    body: html`
      ${input.notice ? html`<p class="notice" role="status">${input.notice}</p>` : ''}
      <p class="muted">${NETWORK_NAMES[input.account.network]} · ${input.account.externalId} · auto-tracking ${input.account.autoTracking ? 'on' : 'off'}</p>
      <p class="actions">
        <a class="button" href="/admin/accounts#network-${input.account.network}">Back to accounts</a>
        ${input.account.autoTracking ? '' : html`<a class="button primary" href="${accountHref(input.account)}/preview">Preview switching tracking on</a>`}
      </p>
      <nav aria-label="Filter by tracking status" class="filters">
        ${(['all', ...TRACKING_FILTERS] as const).map((f) => html`<a href="${filterHref(f)}" ${f === current ? html`aria-current="page"` : ''}>${FILTER_LABELS[f]}</a>`)}
      </nav>
      ${input.ads.length ? html`<ul class="ad-list">${input.ads.map(adCard)}</ul>` : html`<p>No ads ${input.filter ? `with tracking status “${input.filter}”` : 'stored yet: they appear after the first sweep'}.</p>`}
      <nav aria-label="Pages" class="pager">
        ${input.cursor ? html`<a class="button" href="${filterHref(current)}">First page</a>` : ''}
        ${input.nextCursor ? html`<a class="button" rel="next" href="${withCursor(input.nextCursor)}">Next page</a>` : ''}
      </nav>`,
  });
}

function auditRow(entry: AdAuditEntry): SafeHtml {
  const after = entry.after as { params?: Record<string, string>; trackingStatus?: string };
  return html`<tr>
    <td>${when(entry.at)}</td>
    <td>${entry.action}</td>
    <td>${after.trackingStatus ?? ''}</td>
    <td>${paramList(after.params ?? {})}</td>
    <td>${entry.reason ? adviceFor(entry.reason.code)?.title ?? entry.reason.code : ''}</td>
  </tr>`;
}

function metricsTable(days: AdMetricDay[]): SafeHtml {
  if (days.length === 0) return html`<p>No daily metrics synced yet.</p>`;
  return html`${metricsChart(days)}
    <div class="table-scroll" tabindex="0" role="region" aria-label="Daily metrics table">
      <table>
        <thead><tr><th scope="col">Day</th><th scope="col">Impressions</th><th scope="col">Clicks</th><th scope="col">Spend</th></tr></thead>
        <tbody>${days.map((d) => html`<tr><td>${d.date}</td><td>${d.impressions}</td><td>${d.clicks}</td><td>${d.spend.toFixed(2)}</td></tr>`)}</tbody>
      </table>
    </div>`;
}

/** One ad: its state and reason, the parameters in force, its audit trail (TRK-12) and daily metrics. */
export function adPage(input: { ad: AdDoc; account: AdAccountRecord | null; audit: AdAuditEntry[]; metrics: AdMetricDay[]; csrfToken: string; notice?: string }): string {
  const { ad } = input;
  return page({
    title: ad.name || `Ad ${ad.adId}`,
    csrfToken: input.csrfToken,
    body: html`
      ${input.notice ? html`<p class="notice" role="status">${input.notice}</p>` : ''}
      ${input.account ? html`<p><a href="${accountHref(input.account)}/ads">All ads of ${input.account.name}</a></p>` : ''}
      <dl>
        <dt>Network</dt><dd>${NETWORK_NAMES[ad.network]} ad ${ad.adId}</dd>
        <dt>Campaign</dt><dd>${ad.campaign?.name ?? ''}</dd>
        <dt>Delivery</dt><dd>${ad.status}</dd>
        <dt>Landing URL</dt><dd>${ad.landingUrl ?? '—'}</dd>
        <dt>Tracking</dt><dd class="tracking tracking-${ad.trackingStatus}" id="tracking-status">${ad.trackingStatus}</dd>
        <dt>Tracked since</dt><dd>${when(ad.trackedSince)}</dd>
        <dt>Parameters</dt><dd id="applied-params">${paramList(ad.appliedParams ?? {})}</dd>
      </dl>
      ${reasonBlock(ad.reason)}
      <div class="actions">${fixAlertLink(ad)}</div>
      <h2 id="audit">Audit trail</h2>
      ${input.audit.length
        ? html`<div class="table-scroll" tabindex="0" role="region" aria-labelledby="audit"><table>
            <thead><tr><th scope="col">When</th><th scope="col">What</th><th scope="col">Status after</th><th scope="col">Parameters added</th><th scope="col">Reason</th></tr></thead>
            <tbody>${input.audit.map(auditRow)}</tbody></table></div>`
        : html`<p>Nothing recorded yet.</p>`}
      <h2>Daily metrics</h2>
      ${metricsTable(input.metrics)}`,
  });
}

/** TRK-4: the admin confirms before an ad with a learned delivery gets its creative changed. */
export function fixAlertPage(input: { ad: AdDoc; csrfToken: string }): string {
  return page({
    title: 'Add tracking to this ad?',
    csrfToken: input.csrfToken,
    body: html`
      <p><strong>${input.ad.name || input.ad.adId}</strong> had 20 or more engagements when its account was connected, so it was left unchanged.
      Adding tracking changes its creative: ${NETWORK_NAMES[input.ad.network]} sends it back to review and its delivery learning starts over.</p>
      <form method="post" action="${adHref(input.ad)}/add-tracking" class="actions">
        ${csrfField(input.csrfToken)}
        <button type="submit" class="primary">Yes, add tracking</button>
        <a class="button" href="${adHref(input.ad)}">No, leave it</a>
      </form>`,
  });
}
