import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { seededRandom } from '../kit/rng';
import type { FacebookWorld, Lead } from './world';

export const webhookConfigSchema = z
  .object({
    url: z.url(),
    /** Key for `X-Hub-Signature-256`; defaults to the sandbox app's secret, as Meta signs with the app secret. */
    appSecret: z.string().min(1).optional(),
    /** Sent as `hub.verify_token` in the GET handshake. */
    verifyToken: z.string().min(1).optional(),
    /** Send every notification twice (Meta may deliver duplicates, §7.5). */
    duplicate: z.boolean().default(false),
    /** Share (0..1) of notifications never delivered, so receivers must also poll. */
    dropRate: z.number().min(0).max(1).default(0),
    maxAttempts: z.number().int().min(1).max(20).default(5),
    /** First retry delay; doubles per attempt (Meta: immediately, then less and less often). */
    retryBaseMs: z.number().int().min(0).max(600_000).default(1000),
    seed: z.number().int().default(1),
  })
  .strict();
export type WebhookConfig = z.infer<typeof webhookConfigSchema>;

export interface DeliveryAttempt {
  at: string;
  status?: number;
  error?: string;
}

export interface Delivery {
  id: number;
  leadgenIds: string[];
  /** The exact bytes sent and signed. */
  body: string;
  signature: string;
  state: 'pending' | 'delivered' | 'failed' | 'dropped';
  copy: 1 | 2;
  attempts: DeliveryAttempt[];
}

const ATTEMPT_TIMEOUT_MS = 5_000;

/**
 * Lead notifications (§7.3–7.5): `object: "page"`, one change per lead, signed over the exact bytes,
 * retried with backoff on non-2xx, optionally duplicated or dropped.
 */
export class WebhookDispatcher {
  private config?: WebhookConfig & { appSecret: string };
  private random = seededRandom(1);
  private nextId = 1;
  private readonly timers = new Set<NodeJS.Timeout>();
  readonly deliveries: Delivery[] = [];

  constructor(private readonly world: FacebookWorld) {}

  configure(config: WebhookConfig): void {
    this.config = { ...config, appSecret: config.appSecret ?? this.world.app.secret };
    this.random = seededRandom(config.seed);
  }

  describe(): { configured: boolean; config?: Omit<WebhookConfig, 'appSecret'>; deliveries: Omit<Delivery, 'body'>[] } {
    const { appSecret: _secret, ...config } = this.config ?? { appSecret: '' };
    return {
      configured: this.config !== undefined,
      ...(this.config ? { config: config as Omit<WebhookConfig, 'appSecret'> } : {}),
      deliveries: this.deliveries.map(({ body: _body, ...rest }) => rest),
    };
  }

  /** The GET handshake Meta runs when a callback is registered (§7.4). */
  async verify(): Promise<{ ok: boolean; status?: number; echoed?: string; challenge: string }> {
    if (!this.config) throw new Error('no webhook configured');
    const challenge = String(Math.floor(this.random() * 1e10));
    const url = new URL(this.config.url);
    url.searchParams.set('hub.mode', 'subscribe');
    url.searchParams.set('hub.challenge', challenge);
    url.searchParams.set('hub.verify_token', this.config.verifyToken ?? '');
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS) });
      const echoed = await response.text();
      return { ok: response.status === 200 && echoed === challenge, status: response.status, echoed, challenge };
    } catch {
      return { ok: false, challenge };
    }
  }

  notifyLeads(leads: Lead[]): void {
    const config = this.config;
    if (!config || leads.length === 0) return;
    const byPage = new Map<string, Lead[]>();
    for (const lead of leads) {
      const pageId = this.world.forms.get(lead.formId)?.pageId ?? '';
      byPage.set(pageId, [...(byPage.get(pageId) ?? []), lead]);
    }
    for (const [pageId, pageLeads] of byPage) {
      const body = escapeUnicode(JSON.stringify(this.payload(pageId, pageLeads)));
      const signature = `sha256=${createHmac('sha256', config.appSecret).update(body, 'utf8').digest('hex')}`;
      const dropped = config.dropRate > 0 && this.random() < config.dropRate;
      for (const copy of config.duplicate ? ([1, 2] as const) : ([1] as const)) {
        const delivery: Delivery = {
          id: this.nextId++,
          leadgenIds: pageLeads.map((lead) => lead.id),
          body,
          signature,
          state: dropped ? 'dropped' : 'pending',
          copy,
          attempts: [],
        };
        this.deliveries.push(delivery);
        if (!dropped) void this.attempt(delivery, config);
      }
    }
  }

  /** Forgets deliveries and cancels pending retries; the callback configuration stays. */
  clearDeliveries(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.deliveries.length = 0;
    this.nextId = 1;
  }

  reset(): void {
    this.clearDeliveries();
    this.config = undefined;
  }

  private payload(pageId: string, leads: Lead[]) {
    const now = this.world.nowSeconds();
    return {
      object: 'page',
      entry: [
        {
          id: pageId,
          time: now,
          changes: leads.map((lead) => ({
            field: 'leadgen',
            value: {
              leadgen_id: lead.id,
              page_id: pageId,
              form_id: lead.formId,
              ...(lead.adId ? { ad_id: lead.adId, adgroup_id: lead.adId } : {}),
              created_time: lead.createdTime,
            },
          })),
        },
      ],
    };
  }

  private async attempt(delivery: Delivery, config: WebhookConfig): Promise<void> {
    const attempt: DeliveryAttempt = { at: new Date().toISOString() };
    delivery.attempts.push(attempt);
    try {
      const response = await fetch(config.url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Hub-Signature-256': delivery.signature },
        body: delivery.body,
        signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
      });
      attempt.status = response.status;
      await response.body?.cancel();
      if (response.ok) {
        delivery.state = 'delivered';
        return;
      }
    } catch (error) {
      attempt.error = error instanceof Error ? error.message : String(error);
    }
    if (this.config !== config || !this.deliveries.includes(delivery)) return; // reconfigured or cleared meanwhile
    if (delivery.attempts.length >= config.maxAttempts) {
      delivery.state = 'failed';
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.attempt(delivery, config);
    }, config.retryBaseMs * 2 ** (delivery.attempts.length - 1));
    timer.unref();
    this.timers.add(timer);
  }
}

/** Meta signs the escaped-unicode form of the payload (§7.5), so the sandbox sends exactly that. */
function escapeUnicode(json: string): string {
  return json.replace(/[\u007f-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
