import type { ConversionDefinitionRecord } from '../../db/models/conversion-definition';
import type { LedgerSummary } from '../../conversions/ledger';
import { LIFECYCLE_STAGE_LABELS, isLifecycleStage } from '../../domain/conversions';
import { html, page, type SafeHtml } from '../html';
import { NETWORK_NAMES, toggleForm } from '../pages';
import { pageNav, type PageOf } from '../paging';

/** Conversion events (CONV-1 … CONV-8): the list with each definition's ledger counts and reasons. */

const triggerText = (d: ConversionDefinitionRecord) =>
  d.trigger.kind === 'form_submission'
    ? `Form submitted: ${d.trigger.formId}`
    : `Lifecycle stage: ${d.trigger.stages.map((s) => (isLifecycleStage(s) ? LIFECYCLE_STAGE_LABELS[s] : s)).join(', ')}`;

function countsOf(summary: LedgerSummary): SafeHtml {
  return html`<dl class="counts">
      <dt>Sent</dt><dd class="count-sent">${summary.sent}</dd>
      <dt>Failed</dt><dd class="count-failed">${summary.failed}</dd>
      <dt>Skipped</dt><dd class="count-skipped">${summary.skipped}</dd>
      <dt>Waiting</dt><dd class="count-pending">${summary.pending}</dd>
    </dl>
    ${summary.reasons.length
      ? html`<details class="reasons"><summary>Why ${summary.reasons.reduce((n, r) => n + r.count, 0)} were not sent (yet)</summary><ul>${summary.reasons.map(
          (r) => html`<li data-code="${r.code}"><strong>${r.status}</strong> × ${r.count}: ${r.message || r.code}</li>`,
        )}</ul></details>`
      : ''}`;
}

function definitionCard(d: ConversionDefinitionRecord, summary: LedgerSummary, csrfToken: string): SafeHtml {
  const base = `/admin/conversions/${encodeURIComponent(d._id)}`;
  const replaceable = d.status === 'active' && d.api === 'legacy' && d.network === 'facebook' && d.trigger.kind === 'lifecycle_stage';
  return html`<li class="card definition" data-definition="${d._id}">
    <h3>${d.name}</h3>
    <dl>
      <dt>Network</dt><dd>${NETWORK_NAMES[d.network]} · ${d.adAccountId}</dd>
      <dt>Trigger</dt><dd>${triggerText(d)}</dd>
      <dt>API</dt><dd>${d.api === 'legacy' ? 'Legacy' : 'Enhanced Conversions API'}</dd>
      <dt>Status</dt><dd class="definition-status">${d.status === 'replaced' ? 'Replaced' : d.enabled ? 'On' : 'Off'}</dd>
      ${d.lastError ? html`<dt>Last error</dt><dd class="last-error">${d.lastError.message}</dd>` : ''}
    </dl>
    ${countsOf(summary)}
    <div class="actions">
      ${d.status === 'active' ? toggleForm({ action: `${base}/enabled`, on: d.enabled, label: `Sending ${d.name}`, csrfToken }) : ''}
      ${replaceable ? html`<a class="button" href="${base}/replace">Replace with enhanced API</a>` : ''}
      <a class="button" href="${base}/delete">Delete</a>
    </div>
  </li>`;
}

export function conversionsPage(o: { csrfToken: string; slice: PageOf<ConversionDefinitionRecord>; summaries: Map<string, LedgerSummary>; notice?: string | undefined }): string {
  const empty: LedgerSummary = { pending: 0, sent: 0, failed: 0, skipped: 0, reasons: [] };
  return page({
    title: 'Conversion events',
    csrfToken: o.csrfToken,
    body: html`<link rel="stylesheet" href="/admin/assets/events.css">
      ${o.notice ? html`<p class="notice" role="status">${o.notice}</p>` : ''}
      <p><a class="button primary" href="/admin/conversions/new">New conversion event</a></p>
      ${o.slice.total
        ? html`<ul class="cards">${o.slice.items.map((d) => definitionCard(d, o.summaries.get(d._id) ?? empty, o.csrfToken))}</ul>`
        : html`<p>No conversion event yet. Each sends CRM activity (a lifecycle stage reached, a form submitted) back to an ad network.</p>`}
      ${pageNav('/admin/conversions', {}, o.slice, 'Conversion event pages')}`,
  });
}

export function confirmDeletePage(o: { csrfToken: string; definition: ConversionDefinitionRecord }): string {
  return page({
    title: 'Delete conversion event?',
    csrfToken: o.csrfToken,
    body: html`<p>Deleting <strong>${o.definition.name}</strong> stops it: events still queued are marked skipped and nothing more is sent.
      The counts of what was sent stay in the ledger.</p>
      <form method="post" action="/admin/conversions/${encodeURIComponent(o.definition._id)}/delete" class="actions">
        <input type="hidden" name="_csrf" value="${o.csrfToken}">
        <button type="submit" class="danger">Delete</button>
        <a class="button" href="/admin/conversions">Keep it</a>
      </form>`,
  });
}
