/**
 * A synced lead-ad lead (LEAD-1) → the contact it creates or updates. Leads de-duplicate into
 * contacts by email exactly like form submissions (LEAD-2, VIS rules); a lead carries no browser
 * cookie, so only the email rule applies. Leads from organic (non-ad) submissions of a lead form
 * are marked organic (LEAD-3) and are not attributed to any ad.
 */
import type { Network, NetworkLead } from '../../networks/types';
import { identifyContact, type IdentificationDecision } from './identify';
import { mapLeadFields, type LeadContactProperties } from './lead-fields';

export interface LeadOrigin {
  network: Network;
  leadId: string;
  formId: string;
  adId?: string;
  adGroupId?: string;
  campaignId?: string;
  submittedAt: string;
  organic: boolean;
}

export interface LeadContact {
  properties: LeadContactProperties;
  /** `lead_ad` for leads from an ad, `organic_lead_form` for organic submissions (LEAD-3). */
  source: 'lead_ad' | 'organic_lead_form';
  organic: boolean;
  origin: LeadOrigin;
}

export function leadToContact(lead: NetworkLead): LeadContact {
  const origin: LeadOrigin = {
    network: lead.network,
    leadId: lead.leadId,
    formId: lead.formId,
    ...(lead.adId === undefined ? {} : { adId: lead.adId }),
    ...(lead.adGroupId === undefined ? {} : { adGroupId: lead.adGroupId }),
    ...(lead.campaignId === undefined ? {} : { campaignId: lead.campaignId }),
    submittedAt: lead.createdTime,
    organic: lead.isOrganic,
  };
  return {
    properties: mapLeadFields(lead.fields),
    source: lead.isOrganic ? 'organic_lead_form' : 'lead_ad',
    organic: lead.isOrganic,
    origin,
  };
}

/**
 * Which contact a lead becomes. `contactByEmail` is the contact with the lead's normalised email,
 * looked up by the caller with `leadToContact(lead).properties.email`.
 */
export function identifyLeadContact(input: { lead: NetworkLead; contactByEmail?: { id: string } }): IdentificationDecision {
  const email = leadToContact(input.lead).properties.email;
  if (email === undefined) {
    return {
      action: 'create',
      rule: 'new_contact',
      explanation: 'New contact: the lead carries no usable email, so it cannot be matched to an existing contact.',
      email: null,
      tieTokenToContact: false,
      tieEarlierPageViews: false,
    };
  }
  const decision = identifyContact({
    submission: { email, formOptions: { alwaysCreateNewContact: false } },
    ...(input.contactByEmail === undefined ? {} : { contactByEmail: input.contactByEmail }),
  });
  const via = `Lead ${input.lead.leadId} from ${input.lead.network} lead form ${input.lead.formId}`;
  return { ...decision, explanation: `${via}. ${decision.explanation}` };
}
