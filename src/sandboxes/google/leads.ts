import type { GoogleWorld, LeadFormAsset, LeadSubmission, WebhookConfig } from './world';

/** Lead form assets, submissions (queryable via GAQL, reference §5.1) and webhook delivery (§5.2). */

export interface LeadInput {
  email?: string;
  fullName?: string;
  phone?: string;
  adId?: string;
  organic?: boolean;
  /** Answers to the form's custom questions, by question id. */
  answers?: Record<string, string>;
}

export function createLeadForm(world: GoogleWorld, customerId: string, campaignIds: string[], createdAt = world.now()): LeadFormAsset {
  const form: LeadFormAsset = {
    id: world.nextId('asset'),
    customerId,
    name: `Lead form ${world.leadForms.size + 1}`,
    headline: 'Get a free quote',
    businessName: 'Sandbox Shoes',
    fields: ['FULL_NAME', 'EMAIL', 'PHONE_NUMBER'],
    customQuestions: [{ id: 'budget', questionText: 'What is your budget?' }],
    campaignIds,
    ...(world.defaultWebhook ? { webhook: world.defaultWebhook } : {}),
    createdAt,
    modifiedAt: createdAt,
  };
  world.leadForms.set(form.id, form);
  return form;
}

/** Picks the ad a paid lead came from: an enabled ad of a campaign that uses the form, in rotation. */
function attributedAd(world: GoogleWorld, form: LeadFormAsset) {
  const candidates = [...world.ads.values()].filter((a) => form.campaignIds.includes(a.campaignId) && a.status === 'ENABLED');
  return candidates[world.submissions.length % Math.max(candidates.length, 1)];
}

export function createLeads(
  world: GoogleWorld,
  form: LeadFormAsset,
  inputs: LeadInput[],
  options: { isTest?: boolean; submittedAt?: (index: number) => number } = {},
): LeadSubmission[] {
  return inputs.map((input, index) => {
    const n = world.submissions.length + 1;
    const ad = input.organic ? undefined : input.adId ? world.ads.get(input.adId) : attributedAd(world, form);
    const submittedAt = options.submittedAt?.(index) ?? world.now();
    const gclid = ad ? world.newGclid() : undefined;
    if (ad && gclid) {
      world.clicks.set(gclid, {
        gclid,
        customerId: form.customerId,
        campaignId: ad.campaignId,
        adGroupId: ad.adGroupId,
        adId: ad.id,
        at: submittedAt - 60_000,
        device: 'm',
        network: 'g',
        landingUrl: ad.finalUrls[0] ?? '',
      });
    }
    const fields: LeadSubmission['fields'] = [];
    if (input.fullName !== undefined) fields.push({ fieldType: 'FULL_NAME', fieldValue: input.fullName });
    fields.push({ fieldType: 'EMAIL', fieldValue: input.email ?? `lead${n}@example.com` });
    if (input.phone !== undefined) fields.push({ fieldType: 'PHONE_NUMBER', fieldValue: input.phone });
    const submission: LeadSubmission = {
      id: `Lead${world.randomToken(28, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789')}`,
      customerId: form.customerId,
      assetId: form.id,
      ...(ad ? { campaignId: ad.campaignId, adGroupId: ad.adGroupId, adId: ad.id } : {}),
      ...(gclid ? { gclid } : {}),
      submittedAt,
      fields,
      customFields: form.customQuestions.map((q) => ({ questionId: q.id, questionText: q.questionText, fieldValue: input.answers?.[q.id] ?? '10k' })),
      isTest: options.isTest ?? false,
    };
    world.submissions.push(submission);
    return submission;
  });
}

const COLUMN_NAMES: Record<string, string> = {
  FULL_NAME: 'Full Name',
  FIRST_NAME: 'First Name',
  LAST_NAME: 'Last Name',
  EMAIL: 'User Email',
  PHONE_NUMBER: 'User Phone',
  POSTAL_CODE: 'Postal Code',
  COMPANY_NAME: 'Company Name',
  JOB_TITLE: 'Job Title',
};

/** The JSON Google POSTs for one lead (reference §5.2). Ids are JSON numbers there. */
export function webhookPayload(submission: LeadSubmission, webhook: WebhookConfig): Record<string, unknown> {
  return {
    lead_id: submission.id,
    api_version: '1.0',
    form_id: Number(submission.assetId),
    ...(submission.campaignId ? { campaign_id: Number(submission.campaignId) } : {}),
    ...(submission.adGroupId ? { adgroup_id: Number(submission.adGroupId) } : {}),
    ...(submission.adId ? { creative_id: Number(submission.adId) } : {}),
    ...(submission.gclid ? { gcl_id: submission.gclid } : {}),
    google_key: webhook.googleKey,
    is_test: submission.isTest,
    lead_submit_time: new Date(submission.submittedAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    user_column_data: [
      ...submission.fields.map((f) => ({ column_name: COLUMN_NAMES[f.fieldType] ?? f.fieldType, string_value: f.fieldValue, column_id: f.fieldType })),
      ...submission.customFields.map((f) => ({ column_name: f.questionText, string_value: f.fieldValue, column_id: f.questionId })),
    ],
  };
}

async function attempt(world: GoogleWorld, generation: number, submission: LeadSubmission, webhook: WebhookConfig, n: number, duplicate: boolean): Promise<void> {
  if (world.generation !== generation) return;
  let status: number | 'network_error';
  try {
    const response = await fetch(webhook.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(webhookPayload(submission, webhook)),
      signal: AbortSignal.timeout(5_000),
    });
    status = response.status;
  } catch {
    status = 'network_error';
  }
  if (world.generation !== generation) return;
  world.webhookDeliveries.push({ leadId: submission.id, formId: submission.assetId, url: webhook.url, attempt: n, duplicate, status, at: new Date(world.now()).toISOString() });
  const ok = typeof status === 'number' && status >= 200 && status < 300;
  const delay = world.config.webhookRetryDelaysMs[n - 1];
  if (!ok && delay !== undefined) {
    setTimeout(() => void attempt(world, generation, submission, webhook, n + 1, duplicate), delay).unref();
  } else if (ok && !duplicate && world.random() < world.config.webhookDuplicateRate) {
    // Google may deliver the same lead again; receivers dedupe by lead_id.
    setTimeout(() => void attempt(world, generation, submission, webhook, 1, true), 50).unref();
  }
}

/** Starts webhook delivery for new submissions (fire and forget; progress shows in world.webhookDeliveries). */
export function deliverWebhooks(world: GoogleWorld, submissions: LeadSubmission[]): void {
  const generation = world.generation;
  for (const submission of submissions) {
    const webhook = world.leadForms.get(submission.assetId)?.webhook;
    if (!webhook) continue;
    if (world.random() < world.config.webhookDropRate) {
      world.webhookDeliveries.push({ leadId: submission.id, formId: submission.assetId, url: webhook.url, attempt: 0, duplicate: false, status: 'dropped', at: new Date(world.now()).toISOString() });
      continue;
    }
    void attempt(world, generation, submission, webhook, 1, false);
  }
}
