import type { PreviewedAd, TrackingPreview } from '../../api/routes/tracking-preview-service';
import type { AdAccountRecord } from '../../db/models/ad-account';
import { html, page, type SafeHtml } from '../html';
import { csrfField, NETWORK_NAMES } from '../pages';
import { paramList, reasonBlock } from './ads-pages';

export const PREVIEW_PAGE_SIZE = 50;

const OUTCOME_LABELS: Record<PreviewedAd['outcome'], string> = {
  add: 'Parameters added',
  tracked: 'Already tracked, untouched',
  held: 'Held by the engagement cap, untouched',
  skipped: 'Skipped',
};

function previewItem(item: PreviewedAd): SafeHtml {
  return html`<li class="ad-card preview-${item.outcome}" data-ad-id="${item.adId}" data-outcome="${item.outcome}">
    <h3>${item.name || item.adId}</h3>
    <p class="muted">${item.campaign.name} · ad ${item.adId}</p>
    <p><strong>${OUTCOME_LABELS[item.outcome]}</strong>${item.backToReview ? html` · <span class="review">goes back to review</span>` : ''}</p>
    ${item.outcome === 'add' ? html`<div class="planned-params">${paramList(item.params)}</div>` : ''}
    ${item.outcome === 'held' || item.outcome === 'skipped' ? reasonBlock(item.reason) : ''}
  </li>`;
}

/** Issue 13: what switching auto-tracking on would do, ad by ad, and the one-click apply. */
export function previewPage(input: { account: AdAccountRecord; preview: TrackingPreview; pageNumber: number; csrfToken: string }): string {
  const { account, preview } = input;
  const count = (o: PreviewedAd['outcome']) => preview.items.filter((i) => i.outcome === o).length;
  const review = preview.items.filter((i) => i.backToReview).length;
  const pages = Math.max(1, Math.ceil(preview.items.length / PREVIEW_PAGE_SIZE));
  const pageNumber = Math.min(input.pageNumber, pages);
  const shown = preview.items.slice((pageNumber - 1) * PREVIEW_PAGE_SIZE, pageNumber * PREVIEW_PAGE_SIZE);
  const base = `/admin/accounts/${encodeURIComponent(account._id)}`;
  return page({
    title: `Preview: tracking for ${account.name}`,
    csrfToken: input.csrfToken,
    body: html`
      <p class="muted">${NETWORK_NAMES[account.network]} · ${account.externalId} · auto-tracking ${account.autoTracking ? 'on' : 'off'}</p>
      <section aria-labelledby="summary-heading" class="summary">
        <h2 id="summary-heading">If auto-tracking is switched on</h2>
        <dl>
          <dt>Ads that get parameters</dt><dd id="count-add">${count('add')}</dd>
          ${account.network === 'facebook' ? html`<dt>Sent back to review by Facebook</dt><dd id="count-review">${review}</dd>` : ''}
          <dt>Held by the engagement cap</dt><dd id="count-held">${count('held')}</dd>
          <dt>Skipped</dt><dd id="count-skipped">${count('skipped')}</dd>
          <dt>Already tracked</dt><dd id="count-tracked">${count('tracked')}</dd>
          <dt>Network writes</dt><dd>${preview.writes}</dd>
        </dl>
        ${account.autoTracking
          ? html`<p class="notice" role="status">Auto-tracking is already on for this account; the next sweep does what is listed here.</p>`
          : html`<form method="post" action="${base}/preview/apply" class="actions">
              ${csrfField(input.csrfToken)}
              <button type="submit" class="primary">Apply: switch auto-tracking on</button>
              <a class="button" href="${base}/ads">Not now</a>
            </form>`}
      </section>
      <h2>Ad by ad</h2>
      ${shown.length ? html`<ul class="ad-list" id="preview-items">${shown.map(previewItem)}</ul>` : html`<p>The network lists no running ads for this account.</p>`}
      ${pages > 1
        ? html`<nav aria-label="Pages" class="pager">
            ${pageNumber > 1 ? html`<a class="button" rel="prev" href="${base}/preview?page=${pageNumber - 1}">Previous page</a>` : ''}
            <span>Page ${pageNumber} of ${pages}</span>
            ${pageNumber < pages ? html`<a class="button" rel="next" href="${base}/preview?page=${pageNumber + 1}">Next page</a>` : ''}
          </nav>`
        : ''}`,
  });
}
