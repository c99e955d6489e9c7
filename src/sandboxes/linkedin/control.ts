import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import { mountAdvertiserControls } from './control-advertiser';
import { adView, ControlError, P, parse } from './control-support';
import { addLead } from './leads';
import { issueCode, revokeTokens } from './oauth';
import { campaignView, leadResponseView } from './representations';
import { seedRequestSchema, seedWorld } from './seed';
import type { LinkedInWorld } from './state';
import type { LeadNotifier } from './webhooks';

/**
 * Network-specific control routes under /_sandbox (the kit owns reset, faults, requests, counters):
 * seeding, OAuth codes, revocation, the clock, advertiser actions, leads, clicks and inspection.
 */
export function controlRouter(world: LinkedInWorld, notifier: LeadNotifier): express.Router {
  // Mounted at the root with full paths (P): under a mount point req.path is relative when the
  // response finishes, and the kit's request log would then record control calls.
  const router = express.Router();

  router.post(`${P}/seed`, (req, res) => {
    res.json(seedWorld(world, parse(seedRequestSchema, req.body)));
  });

  router.get(`${P}/state`, (_req, res) => {
    res.json({
      now: new Date(world.now()).toISOString(),
      landingBaseUrl: world.landingBaseUrl,
      members: [...world.members.values()],
      roles: world.roles,
      accounts: [...world.accounts.values()],
      campaignGroups: [...world.groups.values()],
      // The tracking parameters live in their own API resource; the control view shows them on the campaign.
      campaigns: [...world.campaigns.values()].map((c) => ({ ...campaignView(c, world.accounts.get(c.accountId)?.currency ?? 'USD'), trackingParameters: c.trackingParameters })),
      creatives: [...world.creatives.values()].map((c) => adView(world, c)),
      posts: [...world.posts.values()],
      inMailContents: [...world.inMails.values()],
      leadForms: [...world.leadForms.values()],
      leadCount: world.leadResponses.length,
      conversionRules: [...world.conversionRules.values()],
      conversionEventCount: world.conversionEvents.length,
      settings: world.settings,
    });
  });

  router.put(`${P}/settings`, (req, res) => {
    const input = parse(
      z.object({
        reviewDelaySeconds: z.number().int().min(0).nullable().optional(),
        quotas: z.object({ applicationDaily: z.number().int().min(0).nullable().optional(), memberDaily: z.number().int().min(0).nullable().optional() }).optional(),
      }),
      req.body,
    );
    if (input.reviewDelaySeconds !== undefined) world.settings.reviewDelaySeconds = input.reviewDelaySeconds;
    if (input.quotas?.applicationDaily !== undefined) world.settings.quotas.applicationDaily = input.quotas.applicationDaily;
    if (input.quotas?.memberDaily !== undefined) world.settings.quotas.memberDaily = input.quotas.memberDaily;
    world.quotaCounters.clear();
    res.json(world.settings);
  });

  // ---- OAuth, tokens, clock -------------------------------------------------------------------
  router.post(`${P}/oauth/codes`, (req, res) => {
    const input = parse(
      z.object({
        user: z.string().min(1),
        redirectUri: z.string().min(1),
        accountIds: z.array(z.union([z.string(), z.number()])).optional(),
        role: z.enum(['ACCOUNT_BILLING_ADMIN', 'ACCOUNT_MANAGER', 'CAMPAIGN_MANAGER', 'CREATIVE_MANAGER', 'VIEWER']).optional(),
        scopes: z.array(z.string()).optional(),
      }),
      req.body,
    );
    const accountIds = input.accountIds?.map((id) => Number(String(id).replace(/^urn:li:sponsoredAccount:/, '')));
    for (const id of accountIds ?? []) if (!world.accounts.has(id)) throw new ControlError(404, 'not_found', `No ad account ${id}`);
    res.json({
      code: issueCode(world, {
        user: input.user,
        redirectUri: input.redirectUri,
        ...(accountIds ? { accountIds } : {}),
        ...(input.role ? { role: input.role } : {}),
        ...(input.scopes ? { scopes: input.scopes } : {}),
      }),
    });
  });

  router.post(`${P}/tokens/revoke`, (req, res) => {
    const input = parse(z.object({ accessToken: z.string().optional(), user: z.string().optional() }), req.body);
    if (!input.accessToken && !input.user) throw new ControlError(400, 'invalid_request', 'accessToken or user is required');
    res.json({ revoked: revokeTokens(world, input) });
  });

  router.get(`${P}/clock`, (_req, res) => void res.json({ now: new Date(world.now()).toISOString(), offsetSeconds: world.clockOffsetMs / 1000 }));
  router.post(`${P}/clock`, (req, res) => {
    const input = parse(z.object({ advanceSeconds: z.number().min(0) }), req.body);
    world.clockOffsetMs += input.advanceSeconds * 1000;
    res.json({ now: new Date(world.now()).toISOString(), offsetSeconds: world.clockOffsetMs / 1000 });
  });

  mountAdvertiserControls(router, world);

  // ---- Leads, webhooks, conversions -----------------------------------------------------------
  router.post(`${P}/leads`, (req, res) => {
    const input = parse(
      z.object({
        formId: z.union([z.string(), z.number()]),
        count: z.number().int().min(1).max(1000).optional(),
        leads: z.array(z.object({ email: z.string().min(3), fullName: z.string().min(1), adId: z.union([z.string(), z.number()]).optional(), organic: z.boolean().optional(), testLead: z.boolean().optional() })).optional(),
      }),
      req.body,
    );
    const form = world.leadForms.get(Number(String(input.formId).replace(/^urn:li:leadGenForm:/, '')));
    if (!form) throw new ControlError(404, 'not_found', `No lead form ${input.formId}`);
    type WantedLead = { email: string; fullName: string; adId?: string | number; organic?: boolean; testLead?: boolean };
    const wanted: WantedLead[] =
      input.leads ?? Array.from({ length: input.count ?? 1 }, (_, i) => ({ email: `lead${world.leadResponses.length + i + 1}@example.com`, fullName: `Lead Person${i + 1}` }));
    const created = wanted.map((l) => {
      const isPageForm = 'organization' in form.owner;
      if (l.organic === true && !isPageForm) {
        const pageForm = [...world.leadForms.values()].find((f) => f.accountId === form.accountId && 'organization' in f.owner);
        throw new ControlError(400, 'invalid_request', `LinkedIn organic leads come from Page forms; use form ${pageForm?.id ?? '(none)'}`);
      }
      const creative = l.adId !== undefined ? world.creativeByKey(String(l.adId)) : undefined;
      if (l.adId !== undefined && !creative) throw new ControlError(404, 'not_found', `No creative ${l.adId}`);
      const lead = addLead(world, { form, email: l.email, fullName: l.fullName, ...(creative ? { creative } : {}), ...(l.testLead ? { testLead: true } : {}) });
      notifier.notify(lead);
      return lead;
    });
    res.status(201).json({ leads: created.map(leadResponseView) });
  });

  router.get(`${P}/leads`, (_req, res) => void res.json({ leads: world.leadResponses.map(leadResponseView) }));

  router.put(`${P}/webhook`, async (req, res) => {
    const result = await notifier.configure(req.body);
    if (!result.ok) throw new ControlError(400, 'invalid_webhook', result.message);
    res.json({ webhook: notifier.current() });
  });
  router.get(`${P}/webhook`, (_req, res) => void res.json({ webhook: notifier.current(), pending: notifier.pending, deliveries: notifier.deliveries }));
  router.delete(`${P}/webhook`, (_req, res) => {
    notifier.clear();
    res.json({ webhook: null });
  });

  router.get(`${P}/conversions`, (_req, res) => {
    const by = (outcome: string) => world.conversionEvents.filter((e) => e.outcome === outcome);
    res.json({ accepted: by('accepted'), duplicates: by('duplicate'), rejected: by('rejected') });
  });

  router.use((err: unknown, _req: Request, res: Response, next: (err?: unknown) => void) => {
    if (err instanceof ControlError) return void res.status(err.status).json({ error: { code: err.code, message: err.message } });
    next(err);
  });
  return router;
}
