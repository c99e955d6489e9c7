import express, { type Response, type Router } from 'express';
import { z } from 'zod';
import { createLeads, deliverWebhooks, type LeadInput } from './leads';
import { issueCode, revokeToken, revokeUser } from './oauth';
import { seedWorld } from './seed';
import { formatDateTime } from './time';
import type { GoogleWorld, LeadSubmission } from './world';

/** Google-specific control API under /_sandbox/: world, OAuth, clock, config, leads, conversions. */

export function controlError(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ error: { code, message } });
}

const seedSchema = z.object({
  seed: z.number().int().default(1),
  accounts: z.number().int().min(1).max(200).default(2),
  adsPerAccount: z.number().int().min(1).max(50_000).default(12),
  landingBaseUrl: z.url().default('http://127.0.0.1:4567'),
  user: z.string().min(1).optional(),
});

const configSchema = z
  .object({
    searchPageSize: z.number().int().min(1).max(10_000),
    minClickAgeSeconds: z.number().int().min(0),
    dailyOperationLimit: z.number().int().min(1).nullable(),
    requestsPerMinutePerCustomer: z.number().int().min(1).nullable(),
    minVersion: z.number().int(),
    maxVersion: z.number().int(),
    developerTokenRequired: z.boolean(),
    developerToken: z.string().min(1).nullable(),
    accessTokenTtlSeconds: z.number().int().min(1),
    refreshTokenTtlSeconds: z.number().int().min(1).nullable(),
    webhookRetryDelaysMs: z.array(z.number().int().min(0)),
    webhookDuplicateRate: z.number().min(0).max(1),
    webhookDropRate: z.number().min(0).max(1),
  })
  .partial()
  .strict();

const leadsSchema = z.object({
  formId: z.string().min(1),
  count: z.number().int().min(1).max(10_000).optional(),
  isTest: z.boolean().optional(),
  leads: z
    .array(
      z.object({
        email: z.string().optional(),
        fullName: z.string().optional(),
        phone: z.string().optional(),
        adId: z.string().optional(),
        organic: z.boolean().optional(),
        answers: z.record(z.string(), z.string()).optional(),
      }),
    )
    .optional(),
});

const webhookSchema = z.object({
  url: z.url(),
  googleKey: z.string().min(1),
  formId: z.string().optional(),
  payloadSchemaVersion: z.number().int().optional(),
  duplicateRate: z.number().min(0).max(1).optional(),
  dropRate: z.number().min(0).max(1).optional(),
});

function parse<T>(schema: z.ZodType<T>, body: unknown, res: Response): T | undefined {
  const result = schema.safeParse(body ?? {});
  if (!result.success) {
    controlError(res, 400, 'invalid_request', z.prettifyError(result.error));
    return undefined;
  }
  return result.data;
}

export function leadView(world: GoogleWorld, s: LeadSubmission) {
  const tz = world.customers.get(s.customerId)?.timeZone ?? 'UTC';
  return {
    id: s.id,
    accountId: s.customerId,
    formId: s.assetId,
    campaignId: s.campaignId ?? null,
    adGroupId: s.adGroupId ?? null,
    adId: s.adId ?? null,
    gclid: s.gclid ?? null,
    organic: !s.adId,
    isTest: s.isTest,
    submittedAt: new Date(s.submittedAt).toISOString(),
    submissionDateTime: formatDateTime(s.submittedAt, tz, { offset: true }),
    fields: s.fields,
    customFields: s.customFields,
  };
}

export function controlRouter(world: GoogleWorld): Router {
  const router = express.Router();

  router.post('/seed', (req, res) => {
    const input = parse(seedSchema, req.body, res);
    if (input) res.json(seedWorld(world, input));
  });

  router.post('/oauth/codes', (req, res) => {
    const body = parse(z.object({ user: z.string().min(1), accountIds: z.array(z.string()).optional(), redirectUri: z.string().min(1) }), req.body, res);
    if (!body) return;
    const known = world.users.get(body.user);
    const accountIds = body.accountIds ?? known;
    if (!accountIds) return controlError(res, 404, 'unknown_user', `No user ${body.user}; pass accountIds to create one.`);
    const missing = accountIds.filter((id) => !world.customers.has(id));
    if (missing.length > 0) return controlError(res, 404, 'unknown_account', `Unknown accounts: ${missing.join(', ')}`);
    if (!known) world.users.set(body.user, accountIds);
    res.json({ code: issueCode(world, body.user, accountIds, body.redirectUri).code });
  });

  router.post('/tokens/revoke', (req, res) => {
    const body = (req.body ?? {}) as { accessToken?: string; refreshToken?: string; user?: string };
    let revoked = 0;
    if (body.accessToken && revokeToken(world, body.accessToken)) revoked += 1;
    if (body.refreshToken && revokeToken(world, body.refreshToken)) revoked += 1;
    if (body.user) revoked += revokeUser(world, body.user);
    res.json({ revoked });
  });

  router.post('/clock', (req, res) => {
    const body = parse(z.object({ advanceSeconds: z.number() }), req.body, res);
    if (!body) return;
    world.clockOffsetMs += body.advanceSeconds * 1000;
    res.json({ now: new Date(world.now()).toISOString(), offsetSeconds: world.clockOffsetMs / 1000 });
  });

  router.get('/config', (_req, res) => void res.json(world.config));
  router.put('/config', (req, res) => {
    const body = parse(configSchema, req.body, res);
    if (!body) return;
    world.config = { ...world.config, ...body };
    res.json(world.config);
  });

  router.post('/leads', (req, res) => {
    const body = parse(leadsSchema, req.body, res);
    if (!body) return;
    const form = world.leadForms.get(body.formId);
    if (!form) return controlError(res, 404, 'unknown_form', `No lead form asset ${body.formId}`);
    const inputs: LeadInput[] = body.leads ?? Array.from({ length: body.count ?? 1 }, () => ({}));
    const created = createLeads(world, form, inputs, { isTest: body.isTest ?? false });
    deliverWebhooks(world, created);
    res.json({ leads: created.map((s) => leadView(world, s)) });
  });
  router.get('/leads', (req, res) => {
    const formId = typeof req.query.formId === 'string' ? req.query.formId : undefined;
    res.json({ leads: world.submissions.filter((s) => !formId || s.assetId === formId).map((s) => leadView(world, s)) });
  });

  router.put('/webhook', (req, res) => {
    const body = parse(webhookSchema, req.body, res);
    if (!body) return;
    const webhook = { url: body.url, googleKey: body.googleKey, payloadSchemaVersion: body.payloadSchemaVersion ?? 1 };
    const forms = body.formId ? [world.leadForms.get(body.formId)] : [...world.leadForms.values()];
    if (forms.some((f) => !f)) return controlError(res, 404, 'unknown_form', `No lead form asset ${body.formId ?? ''}`);
    for (const form of forms) if (form) form.webhook = webhook;
    if (!body.formId) world.defaultWebhook = webhook;
    if (body.duplicateRate !== undefined) world.config.webhookDuplicateRate = body.duplicateRate;
    if (body.dropRate !== undefined) world.config.webhookDropRate = body.dropRate;
    res.json({ forms: forms.map((f) => f?.id), webhook });
  });
  router.get('/webhook', (_req, res) => {
    res.json({
      forms: [...world.leadForms.values()].map((f) => ({ formId: f.id, webhook: f.webhook ?? null })),
      deliveries: world.webhookDeliveries,
    });
  });

  router.get('/conversions', (req, res) => {
    const accountId = typeof req.query.accountId === 'string' ? req.query.accountId : undefined;
    const all = world.conversions.filter((c) => !accountId || c.customerId === accountId);
    res.json({ accepted: all.filter((c) => c.accepted), rejected: all.filter((c) => !c.accepted) });
  });

  router.get('/state', (_req, res) => {
    res.json({
      now: new Date(world.now()).toISOString(),
      seed: world.seed,
      config: world.config,
      users: Object.fromEntries(world.users),
      customers: [...world.customers.values()],
      campaigns: [...world.campaigns.values()],
      adGroups: [...world.adGroups.values()],
      ads: [...world.ads.values()],
      keywords: [...world.keywords.values()],
      conversionActions: [...world.conversionActions.values()],
      leadForms: [...world.leadForms.values()],
      leads: world.submissions.length,
      clicks: [...world.clicks.values()],
      conversions: world.conversions.length,
      grants: [...world.grants.values()].map((g) => ({ user: g.user, customerIds: g.customerIds, revoked: g.revoked })),
    });
  });
  return router;
}
