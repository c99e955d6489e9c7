import { Router } from 'express';
import { z } from 'zod';
import { badRequest, describeAd, notFound, parseBody } from './control-helpers';
import { createLeads } from './leads';
import { seedRequestSchema, seedWorld } from './seed';
import type { FacebookState } from './state';
import { webhookConfigSchema } from './webhook';
import { ALL_SCOPES, isoTime } from './world';

const codeSchema = z
  .object({ user: z.string().min(1), redirectUri: z.string().min(1), accountIds: z.array(z.string()).optional(), scopes: z.array(z.enum(ALL_SCOPES)).optional() })
  .strict();
const revokeSchema = z
  .object({ accessToken: z.string().optional(), user: z.string().optional(), reason: z.enum(['logout', 'password_changed', 'app_removed']).default('logout') })
  .strict()
  .refine((body) => body.accessToken !== undefined || body.user !== undefined, 'give accessToken or user');
const clockSchema = z.object({ advanceSeconds: z.number().int() }).strict();
const appLimitSchema = z.object({ calls: z.number().int().min(1).nullable(), windowSeconds: z.number().int().min(1).default(3600) }).strict();
const throttleSchema = z.object({ accountId: z.string().regex(/^act_\d+$/), seconds: z.number().int().min(1) }).strict();
const tierSchema = z.object({ tier: z.enum(['development', 'standard']) }).strict();
const scoringSchema = z
  .object({ maxScore: z.number().int().min(1), decaySeconds: z.number().int().min(1), blockSeconds: z.number().int().min(1) })
  .partial()
  .strict();
const leadsSchema = z
  .object({
    formId: z.string(),
    count: z.number().int().min(1).max(1000).optional(),
    leads: z
      .array(z.object({ email: z.string().optional(), fullName: z.string().optional(), phone: z.string().optional(), adId: z.string().optional(), organic: z.boolean().optional() }).strict())
      .optional(),
  })
  .strict();

/** World-level control routes: seeding, OAuth helpers, clock, leads, webhook, conversions, state. */
export function worldControlRoutes(state: FacebookState): Router {
  const { world } = state;
  const router = Router();

  router.post('/_sandbox/seed', (req, res) => {
    const body = parseBody(seedRequestSchema, req, res);
    if (!body) return;
    state.conversions.reset();
    state.usage.reset();
    state.appUsage.reset();
    // The callback URL is set-up, not world: it survives a re-seed; old deliveries do not.
    state.webhook.clearDeliveries();
    res.json(seedWorld(world, body));
  });

  router.post('/_sandbox/oauth/codes', (req, res) => {
    const body = parseBody(codeSchema, req, res);
    if (!body) return;
    const user = world.users.get(body.user);
    if (!user) return notFound(res, `user ${body.user}`);
    const foreign = body.accountIds?.find((id) => !user.accountIds.has(id));
    if (foreign) return badRequest(res, `user ${body.user} has no role on ${foreign}`);
    const code = state.tokens.issueCode({
      user,
      redirectUri: body.redirectUri,
      ...(body.accountIds ? { accountIds: body.accountIds } : {}),
      ...(body.scopes ? { scopes: body.scopes } : {}),
    });
    res.json({ code });
  });

  router.post('/_sandbox/tokens/revoke', (req, res) => {
    const body = parseBody(revokeSchema, req, res);
    if (!body) return;
    const userId = body.user !== undefined ? world.users.get(body.user)?.id : undefined;
    if (body.user !== undefined && !userId) return notFound(res, `user ${body.user}`);
    res.json({ revoked: state.tokens.revoke({ ...(body.accessToken ? { accessToken: body.accessToken } : {}), ...(userId ? { userId } : {}), reason: body.reason }) });
  });

  router.post('/_sandbox/clock', (req, res) => {
    const body = parseBody(clockSchema, req, res);
    if (!body) return;
    const now = world.advanceClock(body.advanceSeconds);
    res.json({ now, nowIso: new Date(now * 1000).toISOString() });
  });

  router.put('/_sandbox/access-tier', (req, res) => {
    const body = parseBody(tierSchema, req, res);
    if (!body) return;
    state.usage.tier = body.tier;
    res.json({ tier: body.tier });
  });

  /** A scaled-down score until the next seed; `{}` restores the tier's own numbers. */
  router.put('/_sandbox/usage-scoring', (req, res) => {
    const body = parseBody(scoringSchema, req, res);
    if (!body) return;
    state.usage.scale(Object.keys(body).length > 0 ? { ...state.usage.tierRules(), ...body } : undefined);
    res.json(state.usage.describe().rules);
  });

  router.put('/_sandbox/app-limit', (req, res) => {
    const body = parseBody(appLimitSchema, req, res);
    if (!body) return;
    state.appUsage.limit = body.calls === null ? null : { calls: body.calls, windowSeconds: body.windowSeconds };
    res.json(state.appUsage.describe());
  });

  /** App-level counts, BUC refusals per account and the accounts' scores: what rate-budget tests and P3 read. */
  router.get('/_sandbox/usage', (_req, res) => void res.json({ app: state.appUsage.describe(), accountRefusals: Object.fromEntries(state.usage.refusals), scoring: state.usage.describe() }));

  router.post('/_sandbox/throttle', (req, res) => {
    const body = parseBody(throttleSchema, req, res);
    if (!body) return;
    if (!world.accounts.has(body.accountId)) return notFound(res, `ad account ${body.accountId}`);
    state.usage.block(body.accountId, body.seconds, world.nowMs());
    res.json({ accountId: body.accountId, blockedForSeconds: body.seconds });
  });

  router.post('/_sandbox/leads', (req, res) => {
    const body = parseBody(leadsSchema, req, res);
    if (!body) return;
    const form = world.forms.get(body.formId);
    if (!form) return notFound(res, `lead form ${body.formId}`);
    const inputs = body.leads ?? Array.from({ length: body.count ?? 1 }, () => ({}));
    try {
      const leads = createLeads(world, form, inputs);
      state.webhook.notifyLeads(leads);
      res.json({ leads: leads.map((lead) => ({ ...lead, createdTime: isoTime(lead.createdTime) })) });
    } catch (error) {
      badRequest(res, error instanceof Error ? error.message : String(error));
    }
  });

  router.get('/_sandbox/leads', (req, res) => {
    const formId = typeof req.query.formId === 'string' ? req.query.formId : undefined;
    const leads = [...world.leads.values()].filter((lead) => !formId || lead.formId === formId);
    res.json({ leads: leads.map((lead) => ({ ...lead, createdTime: isoTime(lead.createdTime) })) });
  });

  router.put('/_sandbox/webhook', async (req, res) => {
    const body = parseBody(webhookConfigSchema, req, res);
    if (!body) return;
    state.webhook.configure(body);
    // Meta only subscribes a callback that passes the handshake (§7.4).
    const verification = body.verifyToken ? await state.webhook.verify() : undefined;
    if (verification && !verification.ok) return void res.status(400).json({ error: { code: 'verification_failed', message: 'callback did not echo hub.challenge' }, verification });
    res.json({ ...state.webhook.describe(), ...(verification ? { verification } : {}) });
  });
  router.get('/_sandbox/webhook', (_req, res) => void res.json(state.webhook.describe()));
  router.post('/_sandbox/webhook/verify', async (_req, res) => {
    if (!state.webhook.describe().configured) return badRequest(res, 'no webhook configured');
    res.json(await state.webhook.verify());
  });

  router.get('/_sandbox/conversions', (req, res) => {
    const pixelId = typeof req.query.pixelId === 'string' ? req.query.pixelId : undefined;
    const match = (entry: { pixelId: string }) => !pixelId || entry.pixelId === pixelId;
    res.json({ accepted: state.conversions.accepted.filter(match), rejected: state.conversions.rejected.filter(match) });
  });

  router.get('/_sandbox/state', (_req, res) => {
    res.json({
      seed: world.seed,
      now: world.nowSeconds(),
      app: { id: world.app.id, name: world.app.name },
      accessTier: state.usage.tier,
      users: [...world.users.values()].map((u) => ({ handle: u.handle, id: u.id, accountIds: [...u.accountIds] })),
      accounts: [...world.accounts.values()],
      campaigns: [...world.campaigns.values()],
      adsets: [...world.adsets.values()],
      ads: [...world.ads.values()].map((ad) => describeAd(world, ad)),
      creatives: [...world.creatives.values()],
      pages: [...world.pages.values()],
      forms: [...world.forms.values()],
      pixels: [...world.pixels.values()],
      leads: world.leads.size,
      // Never the tokens themselves.
      tokens: [...world.tokens.values()].map((t) => ({ kind: t.kind, userId: t.userId, expiresAt: t.expiresAt, invalidated: t.invalidated?.subcode ?? null })),
      webhook: state.webhook.describe(),
    });
  });

  return router;
}
