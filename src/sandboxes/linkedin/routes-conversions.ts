import type { Request, Response, Router } from 'express';
import type { Sandbox, SandboxLocals } from '../kit/sandbox-app';
import { errors, RestliHttpError, type RestliErrorBody } from './errors';
import { contextOf, requireAccount } from './gate';
import { offsetPage } from './paging';
import { conversionRuleView } from './representations';
import { idFromUrn, RestliQuery } from './restli';
import { CONVERSION_MAX_AGE_MS, type ConversionEventRecord, type LinkedInWorld } from './state';
import type { ClickRecord } from './model';

export const CONVERSION_BATCH_MAX = 5_000;
const ID_TYPES = ['SHA256_EMAIL', 'LINKEDIN_FIRST_PARTY_ADS_TRACKING_UUID', 'ACXIOM_ID', 'ORACLE_MOAT_ID'];
const FUTURE_SKEW_MS = 5 * 60_000;

type Verdict = { ok: true; ruleId: number; eventId?: string; matchedClick?: ClickRecord } | { ok: false; error: RestliHttpError };

/** §4.2 validation, as strict as the real endpoint is documented to be. */
function validateEvent(world: LinkedInWorld, res: Response, event: unknown): Verdict {
  const fail = (message: string, status = 422): Verdict => ({ ok: false, error: new RestliHttpError(status, message, status === 422 ? 'FIELD_VALUE_INVALID' : undefined) });
  if (typeof event !== 'object' || event === null || Array.isArray(event)) return fail('Event must be an object', 400);
  const e = event as Record<string, unknown>;
  const ruleId = idFromUrn(typeof e.conversion === 'string' ? e.conversion : '', 'llaPartnerConversion');
  if (ruleId === undefined) return fail('conversion must be a urn:lla:llaPartnerConversion:{id} URN');
  const rule = world.conversionRules.get(ruleId);
  if (!rule) return fail(`Conversion rule urn:lla:llaPartnerConversion:${ruleId} does not exist`);
  try {
    requireAccount(world, res, rule.accountId, 'write');
  } catch (error) {
    if (error instanceof RestliHttpError) return { ok: false, error };
    throw error;
  }
  if (!rule.enabled) return fail(`Conversion rule ${ruleId} is disabled`);

  const at = e.conversionHappenedAt;
  if (typeof at !== 'number' || !Number.isInteger(at)) return fail('conversionHappenedAt must be epoch milliseconds');
  if (at < world.now() - CONVERSION_MAX_AGE_MS) return fail('conversionHappenedAt must not be older than 90 days');
  if (at > world.now() + FUTURE_SKEW_MS) return fail('conversionHappenedAt must not be in the future');

  if (e.conversionValue !== undefined) {
    const value = (typeof e.conversionValue === 'object' ? e.conversionValue : null) as { currencyCode?: unknown; amount?: unknown } | null;
    if (typeof value?.currencyCode !== 'string' || !/^[A-Z]{3}$/.test(value.currencyCode)) return fail('conversionValue.currencyCode must be an ISO 4217 code');
    if (typeof value.amount !== 'string' || !/^\d+(\.\d+)?$/.test(value.amount)) return fail('conversionValue.amount must be a decimal string');
  }
  if (e.eventId !== undefined && (typeof e.eventId !== 'string' || !e.eventId || e.eventId.length > 256)) return fail('eventId must be a string of 1-256 characters');

  const user = e.user as { userIds?: unknown; userInfo?: unknown } | undefined;
  if (typeof user !== 'object' || user === null) return fail('user is required');
  if (!Array.isArray(user.userIds)) return fail('user.userIds is required');
  let matchedClick: ClickRecord | undefined;
  for (const [i, id] of user.userIds.entries()) {
    const { idType, idValue } = (typeof id === 'object' && id !== null ? id : {}) as { idType?: unknown; idValue?: unknown };
    if (typeof idType !== 'string' || !ID_TYPES.includes(idType)) return fail(`user.userIds[${i}].idType must be one of ${ID_TYPES.join(', ')}`);
    if (typeof idValue !== 'string' || !idValue) return fail(`user.userIds[${i}].idValue is required`);
    if (idType === 'SHA256_EMAIL' && !/^[0-9a-f]{64}$/.test(idValue)) return fail(`user.userIds[${i}].idValue must be a lowercase hex SHA-256 of the email`);
    if (idType === 'LINKEDIN_FIRST_PARTY_ADS_TRACKING_UUID') matchedClick = world.clicks.get(idValue);
  }
  if (user.userInfo !== undefined || user.userIds.length === 0) {
    // unconfirmed (§4.2): userInfo must name the person (first + last name) when it is used.
    const info = user.userInfo as { firstName?: unknown; lastName?: unknown } | undefined;
    if (typeof info?.firstName !== 'string' || typeof info.lastName !== 'string' || !info.firstName || !info.lastName) {
      return fail('user.userInfo needs firstName and lastName when userIds are empty or userInfo is sent');
    }
  }
  return { ok: true, ruleId, ...(typeof e.eventId === 'string' ? { eventId: e.eventId } : {}), ...(matchedClick ? { matchedClick } : {}) };
}

/** Records one validated event; a repeated (rule, eventId) is accepted but not counted again. */
function recordEvent(world: LinkedInWorld, event: unknown, verdict: Verdict, batch: boolean): ConversionEventRecord {
  const base = { receivedAt: new Date(world.now()).toISOString(), batch, event };
  if (!verdict.ok) {
    const record: ConversionEventRecord = { ...base, outcome: 'rejected', httpStatus: verdict.error.status, reason: verdict.error.message };
    world.conversionEvents.push(record);
    return record;
  }
  const key = verdict.eventId === undefined ? undefined : `${verdict.ruleId}|${verdict.eventId}`;
  const duplicate = key !== undefined && world.acceptedEventIds.has(key);
  if (key) world.acceptedEventIds.add(key);
  const click = verdict.matchedClick;
  if (!duplicate && click) {
    // Reported as the creative's externalWebsiteConversions on the day of the click.
    const credit = `${click.creativeId}|${Math.floor(click.at / 86_400_000)}`;
    world.creditedConversions.set(credit, (world.creditedConversions.get(credit) ?? 0) + 1);
  }
  const record: ConversionEventRecord = {
    ...base,
    outcome: duplicate ? 'duplicate' : 'accepted',
    httpStatus: 201,
    ruleId: verdict.ruleId,
    ...(verdict.eventId !== undefined ? { eventId: verdict.eventId } : {}),
    ...(click ? { matchedCreativeId: click.creativeId } : {}),
  };
  world.conversionEvents.push(record);
  return record;
}

export function mountConversionRoutes(rest: Router, world: LinkedInWorld, sandbox: Sandbox): void {
  rest.get('/conversions', (req: Request, res: Response) => {
    const query = new RestliQuery(req);
    if (query.string('q') !== 'account') throw errors.invalid('Finder q=account is required');
    const accountId = idFromUrn(query.string('account') ?? '', 'sponsoredAccount');
    if (accountId === undefined) throw errors.invalid('account must be a sponsoredAccount URN');
    requireAccount(world, res, accountId, 'read');
    const rules = [...world.conversionRules.values()].filter((r) => r.accountId === accountId);
    res.json(offsetPage(rules.map(conversionRuleView), query));
  });

  rest.get('/conversions/:ruleId', (req: Request, res: Response) => {
    const rule = world.conversionRules.get(Number(req.params.ruleId));
    if (!rule) throw errors.notFound(`urn:lla:llaPartnerConversion:${String(req.params.ruleId)}`);
    requireAccount(world, res, rule.accountId, 'read');
    res.json(conversionRuleView(rule));
  });

  rest.post('/conversions', (req: Request, res: Response) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const accountId = idFromUrn(typeof body.account === 'string' ? body.account : '', 'sponsoredAccount');
    if (accountId === undefined) throw errors.unprocessable('account must be a sponsoredAccount URN');
    requireAccount(world, res, accountId, 'write');
    if (typeof body.name !== 'string' || !body.name || typeof body.type !== 'string') throw errors.unprocessable('name and type are required');
    const now = world.now();
    const id = world.nextId('conversion', 104000);
    world.conversionRules.set(id, {
      id,
      accountId,
      name: body.name,
      type: body.type,
      enabled: body.enabled !== false,
      attributionType: typeof body.attributionType === 'string' ? body.attributionType : 'LAST_TOUCH_BY_CAMPAIGN',
      postClickAttributionWindowSize: typeof body.postClickAttributionWindowSize === 'number' ? body.postClickAttributionWindowSize : 30,
      viewThroughAttributionWindowSize: typeof body.viewThroughAttributionWindowSize === 'number' ? body.viewThroughAttributionWindowSize : 7,
      campaignIds: [],
      createdAt: now,
      lastModifiedAt: now,
    });
    res.status(201).setHeader('x-restli-id', String(id)).end();
  });

  rest.post('/conversionEvents', (req: Request, res: Response) => {
    contextOf(res);
    const locals = res.locals as SandboxLocals;
    const method = req.get('x-restli-method')?.toUpperCase();
    if (method === 'BATCH_CREATE') {
      const elements = (req.body as { elements?: unknown } | undefined)?.elements;
      if (!Array.isArray(elements) || elements.length === 0) throw errors.invalid('BATCH_CREATE body must be {"elements": [...]} with at least one event');
      locals.batchSize = elements.length;
      if (elements.length > CONVERSION_BATCH_MAX) {
        const message = `A batch may carry at most ${CONVERSION_BATCH_MAX} events; got ${elements.length}`;
        world.conversionEvents.push({ receivedAt: new Date(world.now()).toISOString(), outcome: 'rejected', httpStatus: 400, reason: message, batch: true, event: { count: elements.length } });
        throw errors.invalid(message);
      }
      const results = elements.map((event): { status: number; error?: RestliErrorBody } => {
        if (sandbox.faults.itemFails()) return { status: 500, error: { status: 500, message: 'Internal Server Error' } };
        const record = recordEvent(world, event, validateEvent(world, res, event), true);
        return record.outcome === 'rejected'
          ? { status: record.httpStatus, error: { status: record.httpStatus, message: record.reason ?? 'Invalid event' } }
          : { status: 201 };
      });
      return res.status(200).json({ elements: results });
    }
    if (method !== undefined && method !== 'CREATE') throw errors.invalid(`X-RestLi-Method ${method} is not supported on conversionEvents`);
    locals.batchSize = 1;
    const verdict = validateEvent(world, res, req.body);
    recordEvent(world, req.body, verdict, false);
    if (!verdict.ok) throw verdict.error;
    res.status(201).end();
  });
}
