import type { Request, Response, Router } from 'express';
import { errors } from './errors';
import { contextOf } from './gate';
import { offsetPage } from './paging';
import { leadFormView, leadResponseView } from './representations';
import { idFromUrn, RestliQuery, type RestliValue } from './restli';
import type { LeadFormRecord, LeadType, LinkedInWorld } from './state';

const LEAD_TYPES: LeadType[] = ['SPONSORED', 'EVENT', 'COMPANY', 'ORGANIZATION_PRODUCT'];
// unconfirmed (§3.2): older docs say 90 days of retention, a newer collection says 365.
const RETENTION_MS = 90 * 86_400_000;

type Owner = LeadFormRecord['owner'];

function parseOwner(value: Record<string, RestliValue> | undefined): Owner {
  if (typeof value?.sponsoredAccount === 'string') return { sponsoredAccount: value.sponsoredAccount };
  if (typeof value?.organization === 'string') return { organization: value.organization };
  throw errors.invalid('owner must be (sponsoredAccount:urn) or (organization:urn)');
}

function sameOwner(a: Owner, b: Owner): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Lead Sync needs a role on the ad account, or on an account of the Page for organic forms (§3). */
function canRead(world: LinkedInWorld, res: Response, owner: Owner): boolean {
  const member = contextOf(res).member.urn;
  if ('sponsoredAccount' in owner) {
    const id = idFromUrn(owner.sponsoredAccount, 'sponsoredAccount');
    return id !== undefined && world.roleOf(member, id) !== undefined;
  }
  return [...world.accounts.values()].some((a) => a.reference === owner.organization && world.roleOf(member, a.id) !== undefined);
}

export function mountLeadRoutes(rest: Router, world: LinkedInWorld): void {
  rest.get('/leadForms', (req: Request, res: Response) => {
    const query = new RestliQuery(req);
    if (query.string('q') !== 'owner') throw errors.invalid('Finder q=owner is required');
    const owner = parseOwner(query.record('owner'));
    if (!canRead(world, res, owner)) throw errors.accessDenied('/leadForms');
    const forms = [...world.leadForms.values()].filter((f) => sameOwner(f.owner, owner)).sort((a, b) => a.id - b.id);
    res.json(offsetPage(forms.map(leadFormView), query));
  });

  rest.get('/leadForms/:formId', (req: Request, res: Response) => {
    const form = world.leadForms.get(Number(req.params.formId));
    if (!form) throw errors.notFound(`urn:li:leadGenForm:${String(req.params.formId)}`);
    if (!canRead(world, res, form.owner)) throw errors.accessDenied(`/leadForms/${form.id}`);
    res.json(leadFormView(form));
  });

  rest.get('/leadFormResponses', (req: Request, res: Response) => {
    const query = new RestliQuery(req);
    if (query.string('q') !== 'owner') throw errors.invalid('Finder q=owner is required');
    const owner = parseOwner(query.record('owner'));
    if (!canRead(world, res, owner)) throw errors.accessDenied('/leadFormResponses');
    const leadTypeRecord = query.record('leadType');
    const leadType = leadTypeRecord?.leadType;
    if (leadTypeRecord && !LEAD_TYPES.includes(leadType as LeadType)) throw errors.invalid(`leadType must be (leadType:${LEAD_TYPES.join('|')})`);
    // limitedToTestLeads=true returns only test leads; otherwise test leads are left out.
    const onlyTest = query.bool('limitedToTestLeads') ?? false;
    const range = query.record('submittedAtTimeRange');
    const start = timeBound(range?.start, 'start');
    const end = timeBound(range?.end, 'end');
    const versioned = query.string('versionedLeadGenFormUrn');
    const oldest = world.now() - RETENTION_MS;
    const leads = world.leadResponses.filter(
      (l) =>
        sameOwner(l.owner, owner) &&
        (!leadTypeRecord || l.leadType === leadType) &&
        l.testLead === onlyTest &&
        l.submittedAt >= oldest &&
        (start === undefined || l.submittedAt >= start) &&
        (end === undefined || l.submittedAt <= end) &&
        (!versioned || versioned === `urn:li:versionedLeadGenForm:(urn:li:leadGenForm:${l.formId},${l.formVersion})`),
    );
    res.json(offsetPage(leads.map(leadResponseView), query));
  });

  rest.get('/leadFormResponses/:leadId', (req: Request, res: Response) => {
    const lead = world.leadResponses.find((l) => l.id === req.params.leadId);
    if (!lead) throw errors.notFound(`lead ${String(req.params.leadId)}`);
    if (!canRead(world, res, lead.owner)) throw errors.accessDenied('/leadFormResponses');
    res.json(leadResponseView(lead));
  });
}

function timeBound(value: RestliValue | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^\d+$/.test(value)) throw errors.invalid(`submittedAtTimeRange.${name} must be epoch milliseconds`);
  return Number(value);
}
