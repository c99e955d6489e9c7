import { createHmac, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { seededRandom } from '../kit/rng';
import { urn } from './restli';
import type { LeadResponseRecord } from './state';

export const webhookConfigSchema = z
  .object({
    url: z.url(),
    /** The signing key; on LinkedIn this is the app's client secret (§3.3). */
    secret: z.string().min(1),
    /** Share (0..1) of notifications never delivered, so the polling fallback is exercised. */
    dropRate: z.number().min(0).max(1).default(0),
    /** Share (0..1) of notifications delivered twice (§3.3: deliveries may repeat). */
    duplicateRate: z.number().min(0).max(1).default(0),
    maxAttempts: z.number().int().min(1).max(10).default(3),
    retryDelayMs: z.number().int().min(0).max(60_000).default(200),
    seed: z.number().int().default(1),
    /** When true, the sandbox runs the challenge validation (§3.3) before accepting the URL. */
    validate: z.boolean().default(false),
  })
  .strict();
export type WebhookConfig = z.infer<typeof webhookConfigSchema>;

export interface DeliveryAttempt {
  notificationId: string;
  leadId: string;
  attempt: number;
  at: string;
  status?: number;
  error?: string;
  duplicate?: boolean;
  dropped?: boolean;
}

/** §3.3 signature: hex HMAC-SHA256 over "hmacsha256=" + the raw body, keyed with the client secret. */
export function signLeadNotification(rawBody: string, secret: string): string {
  return createHmac('sha256', secret).update(`hmacsha256=${rawBody}`).digest('hex');
}

/** §3.3 challenge answer: hex HMAC-SHA256 of the challenge code, keyed with the client secret. */
export function challengeResponse(challengeCode: string, secret: string): string {
  return createHmac('sha256', secret).update(challengeCode).digest('hex');
}

/** Delivers lead notifications to the URL set with PUT /_sandbox/webhook, with retries. */
export class LeadNotifier {
  private config: WebhookConfig | undefined;
  private random = seededRandom(1);
  private generation = 0;
  private timers = new Set<NodeJS.Timeout>();
  private inFlight = 0;
  readonly deliveries: DeliveryAttempt[] = [];

  current(): (Omit<WebhookConfig, 'secret'> & { secretSet: true }) | null {
    if (!this.config) return null;
    const { secret: _secret, ...rest } = this.config;
    return { ...rest, secretSet: true };
  }

  get pending(): number {
    return this.timers.size + this.inFlight;
  }

  async configure(input: unknown): Promise<{ ok: true } | { ok: false; message: string }> {
    const parsed = webhookConfigSchema.safeParse(input);
    if (!parsed.success) return { ok: false, message: parsed.error.message };
    if (parsed.data.validate) {
      const verdict = await validateWebhook(parsed.data.url, parsed.data.secret);
      if (!verdict.ok) return verdict;
    }
    // A new subscription: earlier deliveries (and their pending retries) belong to the old one.
    this.clear();
    this.config = parsed.data;
    this.random = seededRandom(parsed.data.seed);
    return { ok: true };
  }

  clear(): void {
    this.generation += 1;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.config = undefined;
    this.deliveries.length = 0;
  }

  notify(lead: LeadResponseRecord, action: 'CREATED' | 'DELETED' = 'CREATED'): void {
    const config = this.config;
    if (!config) return;
    const notificationId = randomUUID();
    // unconfirmed (§3.3): payload field set from a third-party capture.
    const body = JSON.stringify({
      type: 'LEAD_ACTION',
      leadAction: action,
      leadGenFormResponse: `urn:li:leadGenFormResponse:${lead.id}`,
      leadGenForm: urn.versionedForm(lead.formId, lead.formVersion),
      owner: lead.owner,
      ...(lead.creativeId !== undefined ? { associatedEntity: { associatedCreative: urn.creative(lead.creativeId) } } : {}),
      leadType: lead.leadType,
      occurredAt: lead.submittedAt,
    });
    if (config.dropRate > 0 && this.random() < config.dropRate) {
      this.deliveries.push({ notificationId, leadId: lead.id, attempt: 0, at: new Date().toISOString(), dropped: true });
      return;
    }
    const duplicate = config.duplicateRate > 0 && this.random() < config.duplicateRate;
    this.schedule(config, notificationId, lead.id, body, 1, 0, false);
    if (duplicate) this.schedule(config, notificationId, lead.id, body, 1, config.retryDelayMs, true);
  }

  private schedule(config: WebhookConfig, id: string, leadId: string, body: string, attempt: number, delayMs: number, duplicate: boolean): void {
    const generation = this.generation;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (generation !== this.generation) return;
      this.inFlight += 1;
      void this.deliver(config, body)
        .then((outcome) => {
          if (generation !== this.generation) return;
          this.deliveries.push({ notificationId: id, leadId, attempt, at: new Date().toISOString(), ...outcome, ...(duplicate ? { duplicate } : {}) });
          const failed = outcome.status === undefined || outcome.status < 200 || outcome.status >= 300;
          if (failed && attempt < config.maxAttempts) {
            this.schedule(config, id, leadId, body, attempt + 1, config.retryDelayMs * 2 ** (attempt - 1), duplicate);
          }
        })
        .finally(() => {
          this.inFlight -= 1;
        });
    }, delayMs);
    this.timers.add(timer);
  }

  private async deliver(config: WebhookConfig, body: string): Promise<{ status?: number; error?: string }> {
    try {
      const response = await fetch(config.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-li-signature': signLeadNotification(body, config.secret) },
        body,
        signal: AbortSignal.timeout(3_000),
      });
      await response.arrayBuffer();
      return { status: response.status };
    } catch (error) {
      return { error: error instanceof Error ? error.message : String(error) };
    }
  }
}

/** §3.3: GET <webhook>?challengeCode=… must answer 200 in 3 s with the HMAC of the code. */
async function validateWebhook(url: string, secret: string): Promise<{ ok: true } | { ok: false; message: string }> {
  const challengeCode = randomUUID();
  const target = new URL(url);
  target.searchParams.set('challengeCode', challengeCode);
  try {
    const response = await fetch(target, { signal: AbortSignal.timeout(3_000) });
    const body = (await response.json()) as { challengeCode?: string; challengeResponse?: string };
    if (response.status === 200 && body.challengeCode === challengeCode && body.challengeResponse === challengeResponse(challengeCode, secret)) {
      return { ok: true };
    }
    return { ok: false, message: `Webhook validation failed (status ${response.status})` };
  } catch (error) {
    return { ok: false, message: `Webhook validation failed: ${error instanceof Error ? error.message : String(error)}` };
  }
}
