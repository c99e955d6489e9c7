import type { contactAttribution } from '../../api/routes/contacts-service';
import { presentAttribution } from '../../contacts/present';
import type { ContactDoc } from '../../db/models/contact';
import { when } from '../accounts-page';
import { html, page, type SafeHtml } from '../html';
import { cursorNav } from '../paging';
import { fieldError, invalidAttrs, problemSummary, type FormProblems } from './form-problems';

/** Contacts with why they were (not) credited to an ad (ATT-1…ATT-4, VIS-2). */

export const CONTACT_FIELDS = ['email', 'attributedAd', 'cursor'] as const;

export interface ContactFilters {
  email?: string | undefined;
  attributedAd?: string | undefined;
  cursor?: string | undefined;
}

const nameOf = (c: Pick<ContactDoc, 'firstName' | 'lastName'>) => [c.firstName, c.lastName].filter(Boolean).join(' ');

function contactRow(contact: ContactDoc): SafeHtml {
  const attribution = presentAttribution(contact);
  return html`<tr data-contact="${contact._id}">
    <th scope="row"><a href="/admin/contacts/${encodeURIComponent(contact._id)}">${contact.email ?? contact._id}</a>${nameOf(contact) ? html`<br><small>${nameOf(contact)}</small>` : ''}</th>
    <td>${contact.lifecycleStage}</td>
    <td>${contact.source}</td>
    <td class="credited">${attribution.attributed ? html`yes<br><small>${attribution.ad?.adKey ?? ''}</small>` : 'no'}</td>
    <td class="explanation"><small>${attribution.reason}</small><br>${attribution.explanation}</td>
  </tr>`;
}

export function contactsPage(o: { csrfToken: string; filters: ContactFilters; contacts: ContactDoc[]; nextCursor: string | null; problems?: FormProblems | undefined }): string {
  const { filters, problems } = o;
  return page({
    title: 'Contacts',
    csrfToken: o.csrfToken,
    body: html`<link rel="stylesheet" href="/admin/assets/events.css">
      ${problemSummary(problems)}
      <form method="get" action="/admin/contacts" class="filters" role="search">
        <div class="field">
          <label for="email">Email</label>
          <input type="text" inputmode="email" id="email" name="email" value="${filters.email ?? ''}" ${invalidAttrs(problems, 'email')}>
          ${fieldError(problems, 'email')}
        </div>
        ${filters.attributedAd ? html`<input type="hidden" name="attributedAd" value="${filters.attributedAd}">` : ''}
        <div class="field"><button type="submit" class="primary">Search</button></div>
      </form>
      ${filters.attributedAd ? html`<p class="notice" role="status">Contacts credited to ad ${filters.attributedAd}. <a href="/admin/contacts">Show all contacts</a></p>` : ''}
      ${fieldError(problems, 'attributedAd')}${fieldError(problems, 'cursor')}
      ${o.contacts.length
        ? html`<div class="table-scroll" role="region" aria-label="Contacts" tabindex="0"><table>
            <thead><tr><th scope="col">Contact</th><th scope="col">Stage</th><th scope="col">Source</th><th scope="col">Credited to an ad</th><th scope="col">Why</th></tr></thead>
            <tbody>${o.contacts.map(contactRow)}</tbody>
          </table></div>`
        : html`<p>No contact matches.</p>`}
      ${cursorNav('/admin/contacts', { email: filters.email, attributedAd: filters.attributedAd }, { cursor: filters.cursor, nextCursor: o.nextCursor }, 'Contact pages')}`,
  });
}

type Attribution = Awaited<ReturnType<typeof contactAttribution>>;

function touch(t: { at: Date; utmCampaign: string | null; campaignId: string | null } | null): string {
  return t ? `${t.utmCampaign ?? t.campaignId ?? 'unknown campaign'} (${when(t.at)})` : 'none';
}

export function contactPage(o: { csrfToken: string; contact: ContactDoc; attribution: Attribution }): string {
  const a = o.attribution;
  return page({
    title: o.contact.email ?? o.contact._id,
    csrfToken: o.csrfToken,
    body: html`<link rel="stylesheet" href="/admin/assets/events.css">
      <p><a href="/admin/contacts">All contacts</a></p>
      <section class="card" aria-labelledby="why">
        <h2 id="why">${a.attributed ? 'Credited to an ad' : 'Not credited to an ad'}</h2>
        <p id="attribution-explanation">${a.explanation}</p>
        <dl>
          <dt>Reason</dt><dd id="attribution-reason">${a.reason}</dd>
          ${a.ad
            ? html`<dt>Ad</dt><dd>${a.ad.network} ad ${a.ad.adId ?? '—'} (account ${a.ad.accountId}, campaign ${a.ad.campaignId ?? '—'}, ad set/group ${a.ad.adGroupId ?? '—'})</dd>
                <dt>Click</dt><dd>${when(a.ad.clickAt)}</dd>`
            : ''}
          <dt>First conversion</dt><dd>${when(a.firstConversionAt)}</dd>
          <dt>First-touch campaign</dt><dd>${touch(a.campaigns.firstTouch)}</dd>
          <dt>Last-touch campaign</dt><dd>${touch(a.campaigns.lastTouch)}</dd>
          <dt>Stage</dt><dd>${o.contact.lifecycleStage}</dd>
          <dt>Source</dt><dd>${o.contact.source}</dd>
        </dl>
      </section>`,
  });
}
