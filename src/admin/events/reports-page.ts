import type { AdsReport } from '../../api/routes/reports-service';
import type { AdAccountRecord } from '../../db/models/ad-account';
import { html, page, type SafeHtml } from '../html';
import { NETWORK_NAMES } from '../pages';
import { pageNav, type PageOf } from '../paging';
import { barChart } from './chart';
import { fieldError, invalidAttrs, problemSummary, type FormProblems } from './form-problems';

/** The ads report (REP-1/REP-2): the network's numbers next to the contacts this system attributed. */

export const REPORT_FIELDS = ['accountId', 'from', 'to'] as const;
type Row = AdsReport['rows'][number];

export interface ReportQuery {
  accountId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

function money(value: number, currency: string | null | undefined): string {
  try {
    if (currency) return new Intl.NumberFormat('en', { style: 'currency', currency }).format(value);
  } catch {
    // An unknown currency code falls through to the plain number.
  }
  return value.toFixed(2);
}

function queryForm(o: { accounts: AdAccountRecord[]; query: ReportQuery; problems: FormProblems | undefined }): SafeHtml {
  const { query, problems } = o;
  return html`<form method="get" action="/admin/reports" class="filters">
    <div class="field">
      <label for="accountId">Ad account</label>
      <select id="accountId" name="accountId" ${invalidAttrs(problems, 'accountId')}>
        ${o.accounts.map((a) => html`<option value="${a._id}" ${query.accountId === a._id ? html`selected` : ''}>${NETWORK_NAMES[a.network]} — ${a.name}</option>`)}
      </select>
      ${fieldError(problems, 'accountId')}
    </div>
    <div class="field">
      <label for="from">From</label>
      <input type="date" id="from" name="from" value="${query.from ?? ''}" ${invalidAttrs(problems, 'from')}>
      ${fieldError(problems, 'from')}
    </div>
    <div class="field">
      <label for="to">To</label>
      <input type="date" id="to" name="to" value="${query.to ?? ''}" ${invalidAttrs(problems, 'to')}>
      ${fieldError(problems, 'to')}
    </div>
    <div class="field"><button type="submit" class="primary">Show report</button></div>
  </form>`;
}

function reportTable(report: AdsReport, rows: Row[]): SafeHtml {
  const t = report.totals;
  return html`<div class="table-scroll" role="region" aria-label="Ads report" tabindex="0"><table class="report">
    <thead><tr><th scope="col">Ad</th><th scope="col">Tracking</th><th scope="col" class="num">Impressions</th><th scope="col" class="num">Clicks</th>
      <th scope="col" class="num">Spend</th><th scope="col" class="num">Network conversions</th><th scope="col" class="num">Attributed contacts</th></tr></thead>
    <tbody>${rows.map(
      (r) => html`<tr data-ad="${r.adId}">
        <th scope="row">${r.name}<br><small>${r.campaign?.name ?? ''} ${r.adId}</small></th>
        <td>${r.trackingStatus}${r.trackingReason ? html`<br><small>${r.trackingReason}</small>` : ''}</td>
        <td class="num impressions">${r.impressions}</td>
        <td class="num clicks">${r.clicks}</td>
        <td class="num spend">${money(r.spend, report.currency)}</td>
        <td class="num network-conversions">${r.networkConversions}</td>
        <td class="num attributed-contacts"><a href="/admin/contacts?attributedAd=${encodeURIComponent(r.adKey)}">${r.attributedContacts}</a></td>
      </tr>`,
    )}</tbody>
    <tfoot><tr class="totals"><th scope="row">All ads</th><td></td><td class="num impressions">${t.impressions}</td><td class="num clicks">${t.clicks}</td>
      <td class="num spend">${money(t.spend, report.currency)}</td><td class="num network-conversions">${t.networkConversions}</td><td class="num attributed-contacts">${t.attributedContacts}</td></tr></tfoot>
  </table></div>`;
}

export function reportsPage(o: {
  csrfToken: string;
  accounts: AdAccountRecord[];
  query: ReportQuery;
  report?: AdsReport | undefined;
  slice?: PageOf<Row> | undefined;
  problems?: FormProblems | undefined;
}): string {
  const { report, slice } = o;
  const range = report?.from ? `${report.from} to ${report.to}` : 'all days';
  return page({
    title: 'Ads report',
    csrfToken: o.csrfToken,
    body: html`<link rel="stylesheet" href="/admin/assets/events.css">
      ${problemSummary(o.problems)}
      ${o.accounts.length ? queryForm({ accounts: o.accounts, query: o.query, problems: o.problems }) : html`<p>No ad account connected yet.</p>`}
      ${report && slice
        ? html`<p class="range">Showing <span id="report-range">${range}</span>.</p>
          ${barChart({
            id: 'report-chart',
            title: `Clicks, network conversions and attributed contacts per ad (${range})`,
            series: [
              { key: 'clicks', label: 'Clicks', colour: '#1558b0' },
              { key: 'networkConversions', label: 'Network conversions', colour: '#9a5b00' },
              { key: 'attributedContacts', label: 'Attributed contacts', colour: '#176c2f' },
            ],
            rows: slice.items.map((r) => ({ label: r.name, values: { clicks: r.clicks, networkConversions: r.networkConversions, attributedContacts: r.attributedContacts } })),
          })}
          ${reportTable(report, slice.items)}
          ${pageNav('/admin/reports', { accountId: o.query.accountId, from: o.query.from, to: o.query.to }, slice, 'Report pages')}
          <p class="note">${report.notes.networkConversionsVsContacts}</p>`
        : ''}`,
  });
}
