import type { Request, Response, Router } from 'express';
import { errors, RestliHttpError } from './errors';
import { contextOf, requireAccount } from './gate';
import { batchGetResponse, cursorPage, offsetPage } from './paging';
import { accountView, campaignView, groupView } from './representations';
import { facetValues, idFromUrn, RestliQuery, urn } from './restli';
import type { CampaignRecord, CampaignStatus, LinkedInWorld } from './state';

/** §2.2-§2.4: ad accounts, account users, campaign groups and campaigns. */
export function mountAccountRoutes(rest: Router, world: LinkedInWorld): void {
  rest.get('/adAccounts', (req: Request, res: Response) => {
    const query = new RestliQuery(req);
    const member = contextOf(res).member;
    const visible = [...world.accounts.values()].filter((a) => world.roleOf(member.urn, a.id));
    const ids = query.list('ids');
    if (ids) {
      return res.json(batchGetResponse(ids, (key) => {
        const account = world.accounts.get(Number(key));
        return account && world.roleOf(member.urn, account.id) ? accountView(account) : undefined;
      }));
    }
    if (query.string('q') !== 'search') throw errors.invalid('Finder q=search or ids=List(...) is required');
    const search = query.record('search');
    const statuses = facetValues(search, 'status');
    const types = facetValues(search, 'type');
    const idUrns = facetValues(search, 'id');
    const test = search?.test;
    const matching = visible.filter(
      (a) =>
        (!statuses || statuses.includes(a.status)) &&
        (!types || types.includes(a.type)) &&
        (!idUrns || idUrns.includes(urn.account(a.id))) &&
        (test === undefined || String(a.test) === test),
    );
    res.json(cursorPage(matching.map(accountView), query, 1000));
  });

  rest.get('/adAccounts/:accountId', (req: Request, res: Response) => {
    res.json(accountView(requireAccount(world, res, accountIdOf(req), 'read')));
  });

  rest.get('/adAccountUsers', (req: Request, res: Response) => {
    const query = new RestliQuery(req);
    const member = contextOf(res).member;
    const finder = query.string('q');
    const view = (r: (typeof world.roles)[number]) => ({
      account: urn.account(r.accountId),
      user: r.memberUrn,
      role: r.role,
      changeAuditStamps: { created: { time: r.createdAt }, lastModified: { time: r.createdAt } },
    });
    if (finder === 'authenticatedUser') {
      return res.json(offsetPage(world.roles.filter((r) => r.memberUrn === member.urn).map(view), query));
    }
    if (finder === 'accounts') {
      const accountId = idFromUrn(query.string('accounts') ?? '', 'sponsoredAccount');
      if (accountId === undefined) throw errors.invalid('accounts must be a sponsoredAccount URN');
      requireAccount(world, res, accountId, 'read');
      return res.json(offsetPage(world.roles.filter((r) => r.accountId === accountId).map(view), query));
    }
    throw errors.invalid('Finder q=authenticatedUser or q=accounts is required');
  });

  rest.get('/adAccounts/:accountId/adCampaignGroups', (req: Request, res: Response) => {
    const account = requireAccount(world, res, accountIdOf(req), 'read');
    const query = new RestliQuery(req);
    const groups = [...world.groups.values()].filter((g) => g.accountId === account.id);
    const ids = query.list('ids');
    if (ids) return res.json(batchGetResponse(ids, (key) => groups.find((g) => String(g.id) === key)));
    if (query.string('q') !== 'search') throw errors.invalid('Finder q=search or ids=List(...) is required');
    const search = query.record('search');
    const statuses = facetValues(search, 'status');
    const idUrns = facetValues(search, 'id');
    const matching = groups.filter((g) => (!statuses || statuses.includes(g.status)) && (!idUrns || idUrns.includes(urn.group(g.id))));
    res.json(cursorPage(sorted(matching, query).map(groupView), query, 1000));
  });

  rest.get('/adAccounts/:accountId/adCampaignGroups/:groupId', (req: Request, res: Response) => {
    const account = requireAccount(world, res, accountIdOf(req), 'read');
    const group = world.groups.get(Number(req.params.groupId));
    if (!group || group.accountId !== account.id) throw errors.notFound(`campaign group ${String(req.params.groupId)}`);
    res.json(groupView(group));
  });

  rest.get('/adAccounts/:accountId/adCampaigns', (req: Request, res: Response) => {
    const account = requireAccount(world, res, accountIdOf(req), 'read');
    const query = new RestliQuery(req);
    const campaigns = [...world.campaigns.values()].filter((c) => c.accountId === account.id);
    const ids = query.list('ids');
    if (ids) {
      return res.json(batchGetResponse(ids, (key) => {
        const found = campaigns.find((c) => String(c.id) === key);
        return found ? campaignView(found, account.currency) : undefined;
      }));
    }
    if (query.string('q') !== 'search') throw errors.invalid('Finder q=search or ids=List(...) is required');
    const search = query.record('search');
    const statuses = facetValues(search, 'status');
    const groupUrns = facetValues(search, 'campaignGroup');
    const types = facetValues(search, 'type');
    const idUrns = facetValues(search, 'id');
    const matching = campaigns.filter(
      (c) =>
        (!statuses || statuses.includes(c.status)) &&
        (!groupUrns || groupUrns.includes(urn.group(c.groupId))) &&
        (!types || types.includes(c.type)) &&
        (!idUrns || idUrns.includes(urn.campaign(c.id))),
    );
    res.json(cursorPage(sorted(matching, query).map((c) => campaignView(c, account.currency)), query, 1000));
  });

  rest.get('/adAccounts/:accountId/adCampaigns/:campaignId', (req: Request, res: Response) => {
    const account = requireAccount(world, res, accountIdOf(req), 'read');
    res.json(campaignView(campaignOf(world, account.id, req.params.campaignId), account.currency));
  });

  // §0/§2.4: writes are POST + X-RestLi-Method. LinkedIn documents no BATCH_PARTIAL_UPDATE for
  // campaigns, so the collection refuses it and every campaign is its own PARTIAL_UPDATE.
  rest.post('/adAccounts/:accountId/adCampaigns', (req: Request) => {
    throw errors.invalid(`${req.get('x-restli-method') ?? 'CREATE'} is not supported on adCampaigns by this emulator`);
  });

  rest.post('/adAccounts/:accountId/adCampaigns/:campaignId', (req: Request, res: Response) => {
    if (req.get('x-restli-method')?.toUpperCase() !== 'PARTIAL_UPDATE') throw errors.invalid('X-RestLi-Method: PARTIAL_UPDATE is required');
    const account = requireAccount(world, res, accountIdOf(req), 'write');
    const campaign = campaignOf(world, account.id, req.params.campaignId);
    const { set, remove } = parsePatch(req.body);
    applyCampaignPatch(campaign, set, remove);
    campaign.lastModifiedAt = world.now();
    campaign.version += 1;
    res.status(204).end();
  });
}

function accountIdOf(req: Request): number {
  const raw = String(req.params.accountId);
  if (!/^\d+$/.test(raw)) throw errors.invalid(`Invalid ad account id ${raw}`);
  return Number(raw);
}

function campaignOf(world: LinkedInWorld, accountId: number, raw: unknown): CampaignRecord {
  const campaign = world.campaigns.get(Number(raw));
  if (!campaign || campaign.accountId !== accountId) throw errors.notFound(`urn:li:sponsoredCampaign:${String(raw)}`);
  return campaign;
}

function sorted<T extends { id: number }>(items: T[], query: RestliQuery): T[] {
  const order = query.string('sortOrder') ?? 'ASCENDING';
  if (order !== 'ASCENDING' && order !== 'DESCENDING') throw errors.invalid('sortOrder must be ASCENDING or DESCENDING');
  return [...items].sort((a, b) => (order === 'ASCENDING' ? a.id - b.id : b.id - a.id));
}

/** `{ "patch": { "$set": {...}, "$delete": [...] } }` (§0). */
export function parsePatch(body: unknown): { set: Record<string, unknown>; remove: string[] } {
  const patch = (body as { patch?: unknown } | undefined)?.patch;
  if (typeof patch !== 'object' || patch === null) throw errors.invalid('Body must be {"patch": {"$set": {...}}}');
  const { $set, $delete } = patch as { $set?: unknown; $delete?: unknown };
  if ($set !== undefined && (typeof $set !== 'object' || $set === null || Array.isArray($set))) throw errors.invalid('patch.$set must be an object');
  if ($delete !== undefined && (!Array.isArray($delete) || $delete.some((f) => typeof f !== 'string'))) throw errors.invalid('patch.$delete must be a list of field names');
  return { set: ($set ?? {}) as Record<string, unknown>, remove: ($delete ?? []) as string[] };
}

const CAMPAIGN_STATUSES: CampaignStatus[] = ['ACTIVE', 'PAUSED', 'ARCHIVED', 'COMPLETED', 'CANCELED', 'DRAFT', 'PENDING_DELETION', 'REMOVED'];
const READ_ONLY = ['id', 'account', 'type', 'format', 'servingStatuses', 'version', 'changeAuditStamps'];

/** Fields of the campaign schema this emulator knows; anything else fails Rest.li's data validation. */
const KNOWN_FIELDS = [...READ_ONLY, 'name', 'status', 'dailyBudget', 'unitCost', 'campaignGroup', 'costType', 'objectiveType', 'locale', 'runSchedule', 'offsiteDeliveryEnabled'];

/**
 * Rest.li validates a patch against the entity's schema: a field the schema does not have (such as
 * the `trackingParameters` field adtrack once guessed) fails the whole request with 422.
 */
function unrecognizedField(field: string): RestliHttpError {
  if (KNOWN_FIELDS.includes(field)) return errors.unprocessable(`Field ${field} cannot be changed by this emulator`, 'FIELD_NOT_EDITABLE');
  return errors.unrecognizedField(field);
}

function applyCampaignPatch(campaign: CampaignRecord, set: Record<string, unknown>, remove: string[]): void {
  for (const field of [...Object.keys(set), ...remove]) {
    if (READ_ONLY.includes(field)) throw errors.unprocessable(`Field ${field} is read-only`, 'FIELD_NOT_EDITABLE');
  }
  const next = { ...campaign };
  for (const [field, value] of Object.entries(set)) {
    switch (field) {
      case 'name':
        if (typeof value !== 'string' || !value.trim() || value.length > 255) throw errors.unprocessable('name must be 1-255 characters');
        next.name = value;
        break;
      case 'status':
        if (!CAMPAIGN_STATUSES.includes(value as CampaignStatus)) throw errors.unprocessable(`status must be one of ${CAMPAIGN_STATUSES.join(', ')}`);
        next.status = value as CampaignStatus;
        break;
      case 'dailyBudget':
      case 'unitCost': {
        const amount = (value as { amount?: unknown } | null)?.amount;
        if (typeof amount !== 'string' || !/^\d+(\.\d+)?$/.test(amount)) throw errors.unprocessable(`${field}.amount must be a decimal string`);
        next[field] = amount;
        break;
      }
      default:
        throw unrecognizedField(field);
    }
  }
  for (const field of remove) {
    if (!KNOWN_FIELDS.includes(field)) throw unrecognizedField(field);
    throw errors.unprocessable(`Field ${field} cannot be deleted`, 'FIELD_NOT_EDITABLE');
  }
  Object.assign(campaign, next);
}
