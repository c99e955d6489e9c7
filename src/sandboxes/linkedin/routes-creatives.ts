import type { Request, Response, Router } from 'express';
import { errors } from './errors';
import { contextOf, requireAccount } from './gate';
import { KIND_SPECS } from './factory';
import { batchGetResponse, cursorPage } from './paging';
import { creativeView, postView } from './representations';
import { idFromUrn, pathKey, RestliQuery, urn } from './restli';
import { parsePatch } from './routes-accounts';
import type { AdKind, CreativeIntendedStatus, CreativeRecord, LinkedInWorld } from './state';

const INTENDED_STATUSES: CreativeIntendedStatus[] = ['ACTIVE', 'PAUSED', 'DRAFT', 'ARCHIVED', 'CANCELED', 'PENDING_DELETION', 'REMOVED'];

/** §2.5 creatives and the §2.7 posts behind sponsored content. */
/** Creative fields a PARTIAL_UPDATE may name (content is known but not editable). */
const CREATIVE_PATCH_FIELDS = ['intendedStatus', 'name', 'content'];

export function mountCreativeRoutes(rest: Router, world: LinkedInWorld): void {
  rest.get('/adAccounts/:accountId/creatives', (req: Request, res: Response) => {
    const account = requireAccount(world, res, Number(req.params.accountId), 'read');
    const query = new RestliQuery(req);
    const all = [...world.creatives.values()].filter((c) => c.accountId === account.id);
    const ids = query.list('ids');
    if (ids) {
      return res.json(batchGetResponse(ids, (key) => {
        const found = all.find((c) => urn.creative(c.id) === key);
        return found ? creativeView(world, found) : undefined;
      }));
    }
    if (query.string('q') !== 'criteria') throw errors.invalid('Finder q=criteria or ids=List(...) is required');
    const campaigns = query.list('campaigns');
    const creatives = query.list('creatives');
    const statuses = query.list('intendedStatuses');
    const references = query.list('contentReferences');
    const isTest = query.bool('isTestAccount');
    const order = query.string('sortOrder') ?? 'ASCENDING';
    if (order !== 'ASCENDING' && order !== 'DESCENDING') throw errors.invalid('sortOrder must be ASCENDING or DESCENDING');
    const matching = all
      .filter(
        (c) =>
          (!campaigns || campaigns.includes(urn.campaign(c.campaignId))) &&
          (!creatives || creatives.includes(urn.creative(c.id))) &&
          (!statuses || statuses.includes(c.intendedStatus)) &&
          (!references || ('reference' in c.content && references.includes(c.content.reference))) &&
          (isTest === undefined || isTest === account.test),
      )
      .sort((a, b) => (order === 'ASCENDING' ? a.id - b.id : b.id - a.id));
    // §2.5: pageSize ≤ 100 for creatives.
    res.json(cursorPage(matching.map((c) => creativeView(world, c)), query, 100));
  });

  rest.get('/adAccounts/:accountId/creatives/:creativeUrn', (req: Request, res: Response) => {
    const account = requireAccount(world, res, Number(req.params.accountId), 'read');
    res.json(creativeView(world, creativeOf(world, req, account.id)));
  });

  rest.post('/adAccounts/:accountId/creatives', (req: Request, res: Response) => {
    const account = requireAccount(world, res, Number(req.params.accountId), 'write');
    const member = contextOf(res).member;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const campaignId = idFromUrn(typeof body.campaign === 'string' ? body.campaign : '', 'sponsoredCampaign');
    const campaign = campaignId === undefined ? undefined : world.campaigns.get(campaignId);
    if (!campaign || campaign.accountId !== account.id) throw errors.unprocessable('campaign must be a sponsoredCampaign URN of this account');
    const intended = (body.intendedStatus ?? 'DRAFT') as CreativeIntendedStatus;
    if (!INTENDED_STATUSES.includes(intended)) throw errors.unprocessable('intendedStatus is invalid');
    const { kind, content } = creativeContent(world, body, account.id);
    if (KIND_SPECS[kind].type !== campaign.type) throw errors.unprocessable(`A ${kind} creative does not fit a ${campaign.type} campaign`);
    const destination = (body.leadgenCallToAction as { destination?: unknown } | undefined)?.destination;
    const leadForm = idFromUrn(typeof destination === 'string' ? destination : '', 'adForm');
    const now = world.now();
    const creative: CreativeRecord = {
      id: world.nextId('creative', 172681000),
      accountId: account.id,
      campaignId: campaign.id,
      name: typeof body.name === 'string' ? body.name : `Creative ${now}`,
      kind: leadForm !== undefined ? 'lead_gen' : kind,
      content,
      intendedStatus: intended,
      review: null,
      ...(leadForm !== undefined ? { leadFormId: leadForm } : {}),
      createdAt: now,
      createdBy: member.urn,
      lastModifiedAt: now,
      lastModifiedBy: member.urn,
    };
    if (intended === 'ACTIVE') world.startReview(creative);
    world.creatives.set(creative.id, creative);
    res.status(201).setHeader('x-restli-id', urn.creative(creative.id)).end();
  });

  rest.post('/adAccounts/:accountId/creatives/:creativeUrn', (req: Request, res: Response) => {
    if (req.get('x-restli-method')?.toUpperCase() !== 'PARTIAL_UPDATE') throw errors.invalid('X-RestLi-Method: PARTIAL_UPDATE is required');
    const account = requireAccount(world, res, Number(req.params.accountId), 'write');
    const creative = creativeOf(world, req, account.id);
    const { set, remove } = parsePatch(req.body);
    if (remove.length > 0) throw errors.unprocessable(`Fields ${remove.join(', ')} cannot be deleted`, 'FIELD_NOT_EDITABLE');
    // The whole patch is validated before anything changes, as Rest.li does.
    const unknown = Object.keys(set).find((field) => !CREATIVE_PATCH_FIELDS.includes(field));
    if (unknown) throw errors.unrecognizedField(unknown);
    const { intendedStatus, name } = set;
    if (intendedStatus !== undefined && !INTENDED_STATUSES.includes(intendedStatus as CreativeIntendedStatus)) throw errors.unprocessable('intendedStatus is invalid');
    if (name !== undefined && (typeof name !== 'string' || !name.trim())) throw errors.unprocessable('name must not be empty');
    // unconfirmed (§2.5): the content reference of an existing creative cannot be swapped.
    if (set.content !== undefined) throw errors.unprocessable('content of an existing creative cannot be changed; create a new creative', 'FIELD_NOT_EDITABLE');
    if (typeof name === 'string') creative.name = name;
    if (intendedStatus !== undefined) {
      const wasDraft = creative.review === null;
      creative.intendedStatus = intendedStatus as CreativeIntendedStatus;
      // §2.5: review starts when a draft is activated.
      if (intendedStatus === 'ACTIVE' && wasDraft) world.startReview(creative);
    }
    creative.lastModifiedAt = world.now();
    creative.lastModifiedBy = contextOf(res).member.urn;
    res.status(204).end();
  });

  rest.get('/posts', (req: Request, res: Response) => {
    const ids = new RestliQuery(req).list('ids');
    if (!ids) throw errors.invalid('ids=List(...) is required');
    const member = contextOf(res).member;
    res.json(batchGetResponse(ids, (key) => {
      const post = world.posts.get(key);
      return post && world.roleOf(member.urn, post.accountId) ? postView(post) : undefined;
    }));
  });

  rest.get('/posts/:postUrn', (req: Request, res: Response) => {
    const key = pathKey(req, String(req.params.postUrn));
    const post = world.posts.get(key);
    if (!post) throw errors.notFound(key);
    if (!world.roleOf(contextOf(res).member.urn, post.accountId)) throw errors.accessDenied(`/posts/${key}`);
    res.json(postView(post));
  });
}

function creativeOf(world: LinkedInWorld, req: Request, accountId: number): CreativeRecord {
  const key = pathKey(req, String(req.params.creativeUrn));
  const id = idFromUrn(key, 'sponsoredCreative');
  if (id === undefined) throw errors.invalid(`Invalid creative key ${key}; expected urn:li:sponsoredCreative:{id}`);
  const creative = world.creatives.get(id);
  if (!creative || creative.accountId !== accountId) throw errors.notFound(key);
  return creative;
}

function creativeContent(world: LinkedInWorld, body: Record<string, unknown>, accountId: number): { kind: AdKind; content: CreativeRecord['content'] } {
  const content = body.content as { reference?: unknown; textAd?: Record<string, unknown> } | undefined;
  if (content?.textAd) {
    const { headline, description, landingPage } = content.textAd;
    if (typeof headline !== 'string' || typeof description !== 'string' || typeof landingPage !== 'string' || !/^https?:\/\//.test(landingPage)) {
      throw errors.unprocessable('textAd needs headline, description and an http(s) landingPage');
    }
    return { kind: 'text', content: { textAd: { headline, description, landingPage } } };
  }
  const reference = typeof content?.reference === 'string' ? content.reference : undefined;
  const inMail = reference ? world.inMails.get(reference) : undefined;
  if (reference && inMail && inMail.accountId === accountId) return { kind: inMail.kind, content: { reference } };
  const post = reference ? world.posts.get(reference) : undefined;
  if (!reference || !post || post.accountId !== accountId) throw errors.unprocessable('content.reference must be a post or InMail content of this account');
  const kind: AdKind = post.media === 'carousel' ? 'carousel' : post.media === 'video' ? 'video' : post.media === 'document' ? 'document' : 'single_image';
  return { kind, content: { reference } };
}
