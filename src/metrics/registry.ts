import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Every metric adtrack exposes, in one registry per process. Labels are bounded by design: network
 * (3 values), closed enums (status, outcome), and reason codes from the product's own code lists —
 * never ad, contact, account ids or emails, so the series count does not grow with customers.
 */
export const registry = new Registry();
collectDefaultMetrics({ register: registry });

export const httpRequestDuration = new Histogram({
  name: 'adtrack_http_request_duration_seconds',
  help: 'HTTP request duration by route template (never the raw URL) and status code',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

export const trackingWrites = new Counter({
  name: 'adtrack_tracking_writes_total',
  help: 'Tracking-parameter writes sent to a network, by outcome (applied | failed)',
  labelNames: ['network', 'outcome'] as const,
  registers: [registry],
});

export const sweepPages = new Counter({
  name: 'adtrack_sweep_pages_total',
  help: 'Pages of ads swept (listed, planned, written, stored)',
  labelNames: ['network'] as const,
  registers: [registry],
});

export const adsSwept = new Counter({
  name: 'adtrack_ads_swept_total',
  help: 'Ads examined by sweeps, by the tracking status they ended the sweep with',
  labelNames: ['network', 'tracking_status'] as const,
  registers: [registry],
});

export const sweepsCompleted = new Counter({
  name: 'adtrack_sweeps_completed_total',
  help: 'Account sweeps completed (every page of the account done)',
  labelNames: ['network'] as const,
  registers: [registry],
});

export const leadsStored = new Counter({
  name: 'adtrack_leads_stored_total',
  help: 'Leads newly stored by lead sync, by how they were found (poll | reconcile)',
  labelNames: ['network', 'mode'] as const,
  registers: [registry],
});

export const leadsMissingFound = new Counter({
  name: 'adtrack_leads_missing_found_total',
  help: 'Leads the reconciliation found at the network but not stored (missed by polling and webhooks)',
  labelNames: ['network'] as const,
  registers: [registry],
});

export const conversions = new Counter({
  name: 'adtrack_conversions_total',
  help: 'Conversion events settled in the ledger, by outcome (sent | failed | skipped) and reason code',
  labelNames: ['network', 'outcome', 'reason'] as const,
  registers: [registry],
});

export const networkRateLimited = new Counter({
  name: 'adtrack_network_rate_limited_total',
  help: 'Calls or writes a network refused with its rate limit',
  labelNames: ['network'] as const,
  registers: [registry],
});

export const budgetWaits = new Counter({
  name: 'adtrack_network_budget_waits_total',
  help: 'Network calls the rate budget held back, by outcome (waited = in process | deferred = failed retryable with the wait)',
  labelNames: ['network', 'outcome'] as const,
  registers: [registry],
});

export const budgetBlocks = new Counter({
  name: 'adtrack_network_budget_blocks_total',
  help: 'Waits a network announced (usage headers, throttle answers) and the budget now honours, by scope (app | account)',
  labelNames: ['network', 'scope'] as const,
  registers: [registry],
});

export const webhookDeliveries = new Counter({
  name: 'adtrack_webhook_deliveries_total',
  help: 'Lead webhook deliveries (POST), by outcome (accepted | rejected_signature | rejected)',
  labelNames: ['network', 'outcome'] as const,
  registers: [registry],
});

export const visitorEvents = new Counter({
  name: 'adtrack_visitor_events_total',
  help: 'Public visitor-tracking calls, by kind (pageview | submission) and outcome (accepted | rate_limited | refused)',
  labelNames: ['kind', 'outcome'] as const,
  registers: [registry],
});

/** No label: the origin comes from the caller and would make the series count unbounded; the API's log names it. */
export const visitorOriginRefused = new Counter({
  name: 'adtrack_visitor_origin_refused_total',
  help: 'Public visitor-tracking calls refused because the page origin is not in CORS_SITE_ORIGINS',
  registers: [registry],
});

/**
 * Reason codes are the product's own upper-case identifiers; anything else (a network's free-form
 * code) is folded into OTHER so a surprising network answer cannot mint new series.
 */
export function boundedReason(code: string | null | undefined): string {
  if (!code) return 'none';
  return /^[A-Z][A-Z0-9_]{0,47}$/.test(code) ? code : 'OTHER';
}

/** Ledger rows just written with their outcome (sent | failed | skipped), counted once each. */
export function countConversionOutcomes(rows: { network: string; status: string; reason: { code: string } | null }[]): void {
  for (const row of rows) {
    if (row.status === 'pending') continue;
    conversions.inc({ network: row.network, outcome: row.status, reason: boundedReason(row.reason?.code) });
  }
}
