import type { TrackingTemplateView } from '../../api/routes/ads-service';
import { facebookTemplateParams, googleTemplateParams, linkedInTemplateParams, type TemplateOverride } from '../../domain/tracking';
import { LINKEDIN_CREATIVE_ID_TOKEN } from '../../networks/linkedin';
import { NETWORKS, type Network } from '../../networks/types';
import { html, page, type SafeHtml } from '../html';
import { csrfField, NETWORK_NAMES } from '../pages';

const EXAMPLE = { accountId: '1234567890', campaignId: '2345678901', campaignName: 'Spring sale', adGroupId: '3456789012', adId: '4567890123' };

/** TRK-9: the parameters an example ad would get with the override, from the same template functions the planner uses. */
export function templatePreviewParams(network: Network, override: TemplateOverride): { key: string; value: string }[] {
  switch (network) {
    case 'facebook':
      return facebookTemplateParams({ accountId: EXAMPLE.accountId, campaignId: EXAMPLE.campaignId, campaignName: EXAMPLE.campaignName, adSetId: EXAMPLE.adGroupId, adId: EXAMPLE.adId, isLeadAd: false, override });
    case 'google':
      return googleTemplateParams({ customerId: EXAMPLE.accountId, override });
    case 'linkedin':
      return linkedInTemplateParams({ accountId: EXAMPLE.accountId, campaignGroupId: EXAMPLE.adGroupId, campaignId: EXAMPLE.campaignId, campaignName: EXAMPLE.campaignName, creativeToken: LINKEDIN_CREATIVE_ID_TOKEN, override });
  }
}

export interface TemplateForm {
  view: TrackingTemplateView;
  /** What the form shows: the stored values, or what the admin typed (preview, refused save). */
  utmSource: string;
  utmMedium: string;
  /** Field → message, from the API's validation envelope. */
  problems: Partial<Record<'utmSource' | 'utmMedium', string>>;
  previewing: boolean;
}

function field(network: Network, name: 'utmSource' | 'utmMedium', label: string, value: string, problem: string | undefined): SafeHtml {
  const id = `${network}-${name}`;
  return html`<div class="field">
    <label for="${id}">${label}</label>
    <input type="text" id="${id}" name="${name}" value="${value}" maxlength="64" placeholder="network default"
      ${problem ? html`aria-invalid="true" aria-describedby="${id}-problem"` : ''}>
    ${problem ? html`<p class="field-error" id="${id}-problem">${problem}</p>` : ''}
  </div>`;
}

function networkSection(form: TemplateForm, csrfToken: string): SafeHtml {
  const { network } = form.view;
  const name = NETWORK_NAMES[network];
  const override = { ...(form.utmSource ? { utmSource: form.utmSource } : {}), ...(form.utmMedium ? { utmMedium: form.utmMedium } : {}) };
  const valid = !form.problems.utmSource && !form.problems.utmMedium;
  return html`<section aria-labelledby="tpl-${network}" id="template-${network}" class="template">
    <h2 id="tpl-${network}">${name}</h2>
    <p class="muted">${form.view.updatedAt ? `Override saved ${new Date(form.view.updatedAt).toISOString().slice(0, 16).replace('T', ' ')} UTC.` : 'No override: the network defaults apply.'} Leave a field empty for the default.</p>
    <form method="post" action="/admin/templates/${network}">
      ${csrfField(csrfToken)}
      ${field(network, 'utmSource', 'utm_source', form.utmSource, form.problems.utmSource)}
      ${field(network, 'utmMedium', 'utm_medium', form.utmMedium, form.problems.utmMedium)}
      <p class="actions">
        <button type="submit" formmethod="get" formaction="/admin/templates/${network}/preview">Preview</button>
        <button type="submit" class="primary">Save ${name} template</button>
      </p>
    </form>
    <h3>${form.previewing ? 'Preview (not saved yet)' : 'Parameters an ad gets'}</h3>
    ${valid
      ? html`<ul class="params template-params" data-network="${network}">${templatePreviewParams(network, override).map((p) => html`<li data-key="${p.key}" data-value="${p.value}"><code>${p.key}=${p.value}</code></li>`)}</ul>
        <p class="muted">For an example ad (account ${EXAMPLE.accountId}, campaign “${EXAMPLE.campaignName}”); {…} and CREATIVE_ID are filled in by the network at click time.</p>`
      : html`<p>Fix the fields above to see the parameters.</p>`}
  </section>`;
}

/** TRK-9 per network: utm_source / utm_medium overrides with the resulting parameters. */
export function templatesPage(input: { forms: TemplateForm[]; csrfToken: string; notice?: string }): string {
  const byNetwork = new Map(input.forms.map((f) => [f.view.network, f]));
  return page({
    title: 'Tracking templates',
    csrfToken: input.csrfToken,
    body: html`
      ${input.notice ? html`<p class="notice" role="status">${input.notice}</p>` : ''}
      <p>New ads, and ads that get tracking again, use these values. Parameters already on an ad are never changed.</p>
      ${NETWORKS.map((n) => networkSection(byNetwork.get(n)!, input.csrfToken))}`,
  });
}
