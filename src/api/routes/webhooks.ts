import { createHmac, timingSafeEqual } from 'node:crypto';
import express, { Router, type Request, type RequestHandler } from 'express';
import { z } from 'zod';
import { recordLeadNotifications, type AnnouncedLead } from '../../leads/notifications';
import type { ApiContext } from '../context';
import { parseJsonText } from '../body';
import { ApiError } from '../errors';

/** Constant-time comparison of two strings (different lengths compare unequal without leaking where). */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  if (left.length !== right.length) {
    timingSafeEqual(left, left);
    return false;
  }
  return timingSafeEqual(left, right);
}

const rawBody = (limit: string) => express.raw({ type: () => true, limit });
const bodyOf = (req: Request): Buffer => (Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0));

const unauthorized = (message: string) => new ApiError(401, 'invalid_signature', message);
const id = z.union([z.string().min(1).max(128), z.number().int().nonnegative()]).transform(String);

export const facebookPayload = z.object({
  object: z.string(),
  entry: z
    .array(
      z.object({
        id: id.optional(),
        changes: z
          .array(z.object({ field: z.string(), value: z.object({ leadgen_id: id, form_id: id.optional(), page_id: id.optional(), ad_id: id.optional() }).loose() }).loose())
          .default([]),
      }).loose(),
    )
    .max(1000),
});

export const googlePayload = z
  .object({ lead_id: z.string().min(1).max(256), form_id: id.optional(), google_key: z.string().optional(), is_test: z.boolean().optional() })
  .loose();

export const linkedinPayload = z
  .object({
    leadAction: z.string().optional(),
    leadGenFormResponse: z.string().min(1).max(300),
    leadGenForm: z.string().max(300).optional(),
    owner: z.object({ sponsoredAccount: z.string().optional() }).loose().optional(),
  })
  .loose();

const urnId = (urn: string | undefined): string | null => {
  if (!urn) return null;
  const form = /urn:li:leadGenForm:(\d+)/.exec(urn);
  if (form) return form[1]!;
  const match = /^urn:li:[A-Za-z]+:(.+)$/.exec(urn);
  return match ? match[1]! : urn;
};

/**
 * Lead webhooks (LEAD-1, LEAD-4), public. Signatures are computed over the exact raw bytes. A bad or missing signature is 401 and changes nothing.
 */
export function webhookRoutes(ctx: ApiContext): Router {
  const router = Router();
  const { config } = ctx;

  /** Meta's subscription handshake (§7.4). */
  router.get('/webhooks/facebook', (req, res) => {
    const mode = req.query['hub.mode'];
    const token = req.query['hub.verify_token'];
    const challenge = req.query['hub.challenge'];
    const expected = config.FACEBOOK_WEBHOOK_VERIFY_TOKEN;
    if (mode === 'subscribe' && typeof token === 'string' && typeof challenge === 'string' && expected !== '' && safeEqual(token, expected)) {
      return void res.status(200).type('text/plain').send(challenge);
    }
    throw new ApiError(403, 'verification_failed', 'The verify token does not match.');
  });

  // Refused before the body is read: no secret to check against, or no signature to check.
  const signed = (secret: string, secretName: string, header: string): RequestHandler => (req, _res, next) => {
    if (secret === '') return next(unauthorized(`Webhook signatures cannot be checked: ${secretName} is not set.`));
    if (!req.get(header)) return next(unauthorized(`The ${header} header is missing.`));
    next();
  };

  /** Lead notifications (§7.5): X-Hub-Signature-256 = sha256=<hex HMAC of the raw body, app secret>. */
  router.post('/webhooks/facebook', signed(config.FACEBOOK_APP_SECRET, 'FACEBOOK_APP_SECRET', 'X-Hub-Signature-256'), rawBody('1mb'), async (req, res) => {
    const raw = bodyOf(req);
    const header = req.get('x-hub-signature-256')!;
    const expected = `sha256=${createHmac('sha256', config.FACEBOOK_APP_SECRET).update(raw).digest('hex')}`;
    if (!safeEqual(header.trim().toLowerCase(), expected)) throw unauthorized('The X-Hub-Signature-256 signature does not match the body.');
    const parsed = facebookPayload.safeParse(parseJsonText(raw));
    if (!parsed.success) throw new ApiError(400, 'validation_failed', 'Not a lead notification.');
    const leads: AnnouncedLead[] = parsed.data.entry.flatMap((entry) =>
      entry.changes.filter((change) => change.field === 'leadgen').map((change) => ({ leadId: change.value.leadgen_id, formId: change.value.form_id ?? null })),
    );
    const outcome = await recordLeadNotifications(ctx, 'facebook', leads);
    res.status(outcome.ignored ? 202 : 200).json({ received: outcome.received });
  });

  /** Google lead form webhook (§5.2): authenticity = google_key equals the key set on the form. */
  router.post('/webhooks/google', rawBody('256kb'), async (req, res) => {
    const body = parseJsonText(bodyOf(req));
    const parsed = googlePayload.safeParse(body);
    const key = parsed.success ? parsed.data.google_key : undefined;
    if (config.GOOGLE_LEAD_WEBHOOK_KEY === '') throw new ApiError(401, 'invalid_key', 'Google lead webhooks are not configured (GOOGLE_LEAD_WEBHOOK_KEY).');
    if (typeof key !== 'string' || !safeEqual(key, config.GOOGLE_LEAD_WEBHOOK_KEY)) throw new ApiError(401, 'invalid_key', 'The google_key does not match.');
    if (!parsed.success) throw new ApiError(400, 'validation_failed', 'Not a lead form submission.');
    // "Send test data" from the form editor: acknowledged, not a lead.
    if (parsed.data.is_test === true) return void res.status(200).json({ received: 0, test: true });
    const outcome = await recordLeadNotifications(ctx, 'google', [{ leadId: parsed.data.lead_id, formId: parsed.data.form_id ?? null }]);
    res.status(outcome.ignored ? 202 : 200).json({ received: outcome.received });
  });

  /** LinkedIn webhook validation (§3.3): echo the code with its HMAC under the client secret. */
  router.get('/webhooks/linkedin', (req, res) => {
    const code = req.query.challengeCode;
    if (typeof code !== 'string' || code.length === 0 || code.length > 200 || config.LINKEDIN_CLIENT_SECRET === '') {
      throw new ApiError(400, 'invalid_challenge', 'Expected a challengeCode.');
    }
    res.json({ challengeCode: code, challengeResponse: createHmac('sha256', config.LINKEDIN_CLIENT_SECRET).update(code).digest('hex') });
  });

  /** LinkedIn lead notifications (§3.3): X-LI-Signature = hex HMAC of "hmacsha256=" + raw body, client secret. */
  router.post('/webhooks/linkedin', signed(config.LINKEDIN_CLIENT_SECRET, 'LINKEDIN_CLIENT_SECRET', 'X-LI-Signature'), rawBody('256kb'), async (req, res) => {
    const raw = bodyOf(req);
    const header = req.get('x-li-signature')!;
    const expected = createHmac('sha256', config.LINKEDIN_CLIENT_SECRET).update(Buffer.concat([Buffer.from('hmacsha256='), raw])).digest('hex');
    if (!safeEqual(header.trim().toLowerCase(), expected)) throw unauthorized('The X-LI-Signature signature does not match the body.');
    const parsed = linkedinPayload.safeParse(parseJsonText(raw));
    if (!parsed.success) throw new ApiError(400, 'validation_failed', 'Not a lead notification.');
    if (parsed.data.leadAction !== undefined && parsed.data.leadAction !== 'CREATED') return void res.status(200).json({ received: 0 });
    const leadId = urnId(parsed.data.leadGenFormResponse)!;
    const account = urnId(parsed.data.owner?.sponsoredAccount);
    const outcome = await recordLeadNotifications(ctx, 'linkedin', [
      { leadId, formId: urnId(parsed.data.leadGenForm), ...(account ? { accountKey: `linkedin:${account}` } : {}) },
    ]);
    res.status(outcome.ignored ? 202 : 200).json({ received: outcome.received });
  });

  return router;
}
