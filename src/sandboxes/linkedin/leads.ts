import { createHash } from 'node:crypto';
import { errors } from './errors';
import type { CreativeRecord, LeadFormRecord, LeadResponseRecord, LinkedInWorld } from './state';

export interface NewLead {
  form: LeadFormRecord;
  email: string;
  fullName: string;
  creative?: CreativeRecord;
  testLead?: boolean;
  submittedAt?: number;
}

function leadId(n: number): string {
  const h = createHash('sha1').update(`linkedin-lead-${n}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}-${n % 10}`;
}

/**
 * A member submits a lead gen form. Organic (COMPANY) leads come from Page-owned forms and carry no
 * campaign or creative (§3.2); sponsored ones are tied to the creative that opened the form.
 */
export function addLead(world: LinkedInWorld, input: NewLead): LeadResponseRecord {
  const organic = 'organization' in input.form.owner;
  if (organic && input.creative) throw errors.invalid('Organic (Page form) leads are not associated with a creative');
  const creative =
    input.creative ?? (organic ? undefined : [...world.creatives.values()].find((c) => c.leadFormId === input.form.id));
  const n = world.nextId('lead', 0);
  const [firstName = '', ...rest] = input.fullName.trim().split(/\s+/);
  const company = input.email.split('@')[1]?.split('.')[0] ?? 'example';
  const lead: LeadResponseRecord = {
    id: leadId(n),
    accountId: input.form.accountId,
    formId: input.form.id,
    formVersion: input.form.versionId,
    submittedAt: input.submittedAt ?? world.now(),
    leadType: organic ? 'COMPANY' : 'SPONSORED',
    testLead: input.testLead ?? false,
    owner: input.form.owner,
    submitter: `urn:li:person:lead${n.toString(36)}x${createHash('md5').update(input.email).digest('hex').slice(0, 6)}`,
    ...(creative ? { creativeId: creative.id, campaignId: creative.campaignId } : {}),
    answers: [
      { questionId: 1, text: firstName },
      { questionId: 2, text: rest.join(' ') },
      { questionId: 3, text: input.email },
      { questionId: 4, text: company.charAt(0).toUpperCase() + company.slice(1) },
      { questionId: 5, text: 'Marketing Manager' },
      { questionId: 6, optionIds: [1 + (n % 3)] },
    ],
  };
  // Kept in submission order: start/count paging stays stable while new leads arrive.
  world.leadResponses.push(lead);
  world.leadResponses.sort((a, b) => a.submittedAt - b.submittedAt);
  return lead;
}
