import { z } from 'zod';
import * as accounts from '../routes/accounts';
import * as ads from '../routes/ads';
import * as campaigns from '../routes/campaigns';
import * as codec from '../routes/codec';
import * as connections from '../routes/connections';
import * as contacts from '../routes/contacts';
import * as conversionEvents from '../routes/conversion-events';
import * as forms from '../routes/forms';
import * as leads from '../routes/leads';
import * as reports from '../routes/reports';
import * as smoke from '../routes/smoke';
import * as visitors from '../routes/visitors';
import * as webhooks from '../routes/webhooks';
import { NETWORKS } from '../../networks/types';
import * as r from './responses';

const codecUiKeySchema = z.string().describe('the Web UI codec key (an HMAC of the admin token)');
const codecDirectionSchema = z.enum(['encode', 'decode']);

export type Security = 'admin' | 'metrics' | 'public' | 'session';

export interface Operation {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';
  /** The Express template, as registered (`/api/accounts/:id`). */
  path: string;
  tag: string;
  summary: string;
  security: Security;
  /** The very schemas the route parses with. */
  body?: z.ZodType;
  bodyRequired?: boolean;
  query?: z.ZodObject;
  params?: Record<string, z.ZodType>;
  /** Success responses: status → body schema (or a non-JSON media type). */
  ok: Record<number, { description: string; schema?: z.ZodType; mediaType?: string }>;
  /** Error responses: status → the `error.code` values this operation answers with. */
  errors?: Record<number, string[]>;
}

const id = { id: z.string().min(1).max(200).describe('the resource id as returned by the API (account ids are `<network>:<externalId>`)') };
const accountNotFound = { 404: ['not_found'] };
const body400 = { 400: ['validation_failed', 'invalid_json'], 413: ['payload_too_large'] };
const ok200 = (schema: z.ZodType, description = 'OK') => ({ 200: { description, schema } });
/** Definition problems answer with their code in lower case (`src/domain/conversions/definition-problems.ts`). */
const definitionErrors = {
  403: ['plan_limit_reached'],
  409: ['ad_account_not_connected', 'lead_sync_off', 'no_business_manager', 'ad_account_needs_reconnect'],
  422: [
    'network_unsupported', 'ad_account_required', 'trigger_invalid', 'stages_required', 'stage_unknown', 'stage_not_supported', 'form_required', 'form_not_eligible',
    'audience_invalid', 'option_not_for_trigger', 'option_not_for_network', 'event_name_invalid', 'value_invalid', 'value_without_currency', 'currency_without_value',
    'currency_invalid', 'consent_incomplete', 'shared_field_unknown', 'mandatory_field_removed', 'pixel_required', 'conversion_action_required',
    'conversion_action_invalid', 'conversion_rule_required', 'conversion_rule_invalid', 'api_not_supported',
    // Read back from the network with the account's token (src/conversions/destination-check.ts).
    'pixel_not_found', 'conversion_action_not_found', 'conversion_action_not_usable', 'conversion_rule_not_found', 'conversion_rule_not_usable',
  ],
  503: ['network_unavailable'],
};
const ok202 = { 202: { description: 'accepted; the workflow acts on it', schema: r.accepted } };

/**
 * The one table of every HTTP operation: the OpenAPI document is generated from it and the
 * route-coverage test holds it equal to what Express registered. Request schemas are imported from the
 * route modules, so the document cannot describe other validation than the code runs.
 */
export const OPERATIONS: Operation[] = [
  // Operations
  { method: 'GET', path: '/healthz', tag: 'operations', summary: 'Liveness', security: 'public', ok: ok200(r.health) },
  {
    method: 'GET', path: '/readyz', tag: 'operations', summary: 'Readiness (Temporal and the database reachable)', security: 'public',
    ok: { 200: { description: 'ready', schema: r.readiness }, 503: { description: 'not ready', schema: r.readiness } },
  },
  {
    method: 'GET', path: '/metrics', tag: 'operations', summary: 'Prometheus metrics (text exposition format)', security: 'metrics',
    ok: { 200: { description: 'exposition text', mediaType: 'text/plain' } }, errors: { 401: ['unauthorized'] },
  },
  { method: 'GET', path: '/openapi.json', tag: 'operations', summary: 'This document', security: 'public', ok: { 200: { description: 'OpenAPI 3.1 document', mediaType: 'application/json' } } },
  { method: 'GET', path: '/docs', tag: 'operations', summary: 'API reference page (rendered locally from this document)', security: 'public', ok: { 200: { description: 'HTML', mediaType: 'text/html' } } },
  { method: 'GET', path: '/docs/init.js', tag: 'operations', summary: 'The reference page\'s start-up script', security: 'public', ok: { 200: { description: 'JavaScript', mediaType: 'text/javascript' } } },
  ...(['encode', 'decode'] as const).map((direction): Operation => ({
    method: 'POST', path: `/codec/${direction}`, tag: 'operations', summary: `Temporal codec server: ${direction} payloads (Web UI / CLI)`, security: 'admin',
    body: codec.payloadsSchema, bodyRequired: true, ok: ok200(r.codecPayloads), errors: { ...body400, 400: ['validation_failed', 'invalid_json', 'codec_failed'], 401: ['unauthorized'] },
  })),
  ...(['encode', 'decode'] as const).map((direction): Operation => ({
    method: 'POST', path: `/codec/ui/:key/${direction}`, tag: 'operations', security: 'public',
    summary: `Temporal codec server for the Web UI: ${direction} payloads, authorized by the UI codec key in the path (the UI cannot send a token)`,
    params: { key: codecUiKeySchema },
    body: codec.payloadsSchema, bodyRequired: true, ok: ok200(r.codecPayloads), errors: { ...body400, 400: ['validation_failed', 'invalid_json', 'codec_failed'], 401: ['unauthorized'] },
  })),
  {
    method: 'OPTIONS', path: '/codec/:direction', tag: 'operations', security: 'public', summary: 'CORS preflight of the codec endpoint (the Web UI origin only)',
    params: { direction: codecDirectionSchema }, ok: { 204: { description: 'preflight answered' } },
  },
  {
    method: 'OPTIONS', path: '/codec/ui/:key/:direction', tag: 'operations', security: 'public', summary: 'CORS preflight of the Web UI codec endpoint',
    params: { key: codecUiKeySchema, direction: codecDirectionSchema }, ok: { 204: { description: 'preflight answered' } },
  },

  // Smoke
  { method: 'POST', path: '/api/smoke-runs', tag: 'smoke', summary: 'Start a pipeline self-check workflow', security: 'admin', body: smoke.startSchema, bodyRequired: true, ok: { 202: { description: 'started', schema: r.smokeRun } }, errors: body400 },
  { method: 'GET', path: '/api/smoke-runs/:id', tag: 'smoke', summary: 'Query a self-check run', security: 'admin', params: { id: smoke.idSchema }, ok: ok200(r.smokeState), errors: { 400: ['validation_failed'], 404: ['not_found'] } },
  { method: 'POST', path: '/api/smoke-runs/:id/ping', tag: 'smoke', summary: 'Signal a self-check run', security: 'admin', params: { id: smoke.idSchema }, body: smoke.pingSchema, bodyRequired: true, ok: ok202, errors: { ...body400, 404: ['not_found'] } },
  { method: 'POST', path: '/api/smoke-runs/:id/finish', tag: 'smoke', summary: 'Finish a self-check run', security: 'admin', params: { id: smoke.idSchema }, ok: ok202, errors: { 400: ['validation_failed'], 404: ['not_found'] } },

  // Connections and accounts
  {
    method: 'POST', path: '/api/connections', tag: 'accounts', summary: 'OAuth code → tokens (sealed at rest); lists the reachable ad accounts (ACC-2)', security: 'admin',
    body: connections.connectSchema, bodyRequired: true, ok: { 201: { description: 'connected', schema: r.connection } },
    errors: { ...body400, 400: ['validation_failed', 'invalid_json', 'authorization_failed'], 502: ['network_unavailable'] },
  },
  {
    method: 'POST', path: '/api/accounts', tag: 'accounts', summary: 'Connect an ad account and start its workflow', security: 'admin', body: accounts.connectAccountSchema, bodyRequired: true,
    ok: { 201: { description: 'connected', schema: r.account }, 200: { description: 'already connected', schema: r.account } },
    errors: { ...body400, 404: ['connection_not_found'], 409: ['connection_stale'], 422: ['account_not_reachable'] },
  },
  { method: 'GET', path: '/api/accounts', tag: 'accounts', summary: 'Every account', security: 'admin', ok: ok200(r.accountList) },
  { method: 'GET', path: '/api/accounts/:id', tag: 'accounts', summary: 'An account with its workflow\'s live state', security: 'admin', params: id, ok: ok200(r.accountWithLive), errors: accountNotFound },
  {
    method: 'POST', path: '/api/accounts/:id/auto-tracking', tag: 'accounts', summary: 'Switch auto-tracking (Temporal update; ACC-4)', security: 'admin', params: id,
    body: accounts.toggleSchema, bodyRequired: true, ok: ok200(r.accountWithLive), errors: { ...body400, ...accountNotFound, 409: ['update_rejected', 'account_disconnected'] },
  },
  { method: 'POST', path: '/api/accounts/:id/sync', tag: 'accounts', summary: 'Sweep now', security: 'admin', params: id, body: accounts.syncSchema, ok: ok202, errors: { ...body400, ...accountNotFound, 409: ['account_disconnected'] } },
  {
    method: 'POST', path: '/api/accounts/:id/reconnect', tag: 'accounts', summary: 'Resume an account parked in needs_reconnect', security: 'admin', params: id,
    body: accounts.reconnectSchema, bodyRequired: true, ok: ok202, errors: { ...body400, ...accountNotFound, 409: ['account_disconnected'], 422: ['connection_invalid', 'account_not_reachable'] },
  },
  { method: 'DELETE', path: '/api/accounts/:id', tag: 'accounts', summary: 'Disconnect (ACC-6): stops the workflow, deletes tokens, keeps ads and audit', security: 'admin', params: id, ok: ok200(r.account), errors: accountNotFound },

  // Ads and tracking
  { method: 'GET', path: '/api/accounts/:id/ads', tag: 'tracking', summary: 'Ads with tracking status and reason', security: 'admin', params: id, query: ads.listSchema, ok: ok200(r.adPage), errors: { 400: ['validation_failed'], ...accountNotFound } },
  {
    method: 'GET', path: '/api/accounts/:id/tracking-preview', tag: 'tracking', security: 'admin', params: id,
    summary: 'What switching auto-tracking on would do to each ad (parameters added, back to review, held by the engagement cap, skipped and why), planned as a sweep plans it; nothing is written',
    ok: ok200(r.trackingPreview), errors: { ...accountNotFound, 409: ['account_disconnected', 'account_not_active', 'needs_reconnect'], 502: ['network_unavailable'] },
  },
  { method: 'GET', path: '/api/ads/:id', tag: 'tracking', summary: 'One ad with its audit trail (TRK-12)', security: 'admin', params: id, ok: ok200(r.adWithAudit), errors: accountNotFound },
  {
    method: 'POST', path: '/api/ads/:id/add-tracking', tag: 'tracking', summary: 'Add tracking to an ad held by the engagement cap (TRK-4)', security: 'admin', params: id, ok: ok202,
    errors: { ...accountNotFound, 409: ['not_engagement_capped', 'account_not_active'] },
  },
  ...(['GET', 'PUT'] as const).map((method): Operation => ({
    method, path: '/api/tracking-templates/:network', tag: 'tracking', summary: method === 'GET' ? 'Per-network template override (TRK-9)' : 'Set the per-network template override (TRK-9)', security: 'admin',
    params: { network: z.enum(NETWORKS) }, ...(method === 'PUT' ? { body: ads.templateSchema, bodyRequired: true } : {}), ok: ok200(r.trackingTemplate), errors: method === 'PUT' ? body400 : { 400: ['validation_failed'] },
  })),

  // Conversion events
  {
    method: 'POST', path: '/api/conversion-events', tag: 'conversions', summary: 'Define a conversion event and start its workflow (CONV-1…6)', security: 'admin', body: conversionEvents.createSchema, bodyRequired: true,
    ok: { 201: { description: 'defined', schema: r.conversionEvent } }, errors: { ...body400, ...definitionErrors, 404: ['not_found'] },
  },
  { method: 'GET', path: '/api/conversion-events', tag: 'conversions', summary: 'Every definition', security: 'admin', ok: ok200(r.conversionEventList) },
  { method: 'GET', path: '/api/conversion-events/:id', tag: 'conversions', summary: 'A definition with its ledger counts and live state (CONV-8)', security: 'admin', params: { id: conversionEvents.idSchema.shape.id }, ok: ok200(r.conversionEvent), errors: { 400: ['validation_failed'], 404: ['not_found'] } },
  {
    method: 'PATCH', path: '/api/conversion-events/:id', tag: 'conversions', summary: 'Switch a definition on or off', security: 'admin', params: { id: conversionEvents.idSchema.shape.id }, body: conversionEvents.toggleSchema, bodyRequired: true,
    ok: ok200(r.conversionEvent), errors: { ...body400, 404: ['not_found'], 409: ['replaced'] },
  },
  { method: 'DELETE', path: '/api/conversion-events/:id', tag: 'conversions', summary: 'Delete a definition (queued events skipped)', security: 'admin', params: { id: conversionEvents.idSchema.shape.id }, ok: ok200(r.conversionEvent), errors: { 400: ['validation_failed'], 404: ['not_found'] } },
  {
    method: 'POST', path: '/api/conversion-events/:id/replace', tag: 'conversions', summary: 'Swap a legacy Facebook event for an enhanced one: same ids, no gap, no double send', security: 'admin',
    params: { id: conversionEvents.idSchema.shape.id }, body: conversionEvents.replaceSchema, ok: { 201: { description: 'replaced', schema: r.conversionReplacement } },
    errors: { ...body400, ...definitionErrors, 404: ['not_found'], 409: [...definitionErrors[409], 'not_replaceable'] },
  },

  // Forms, contacts, campaigns, leads, reports
  { method: 'POST', path: '/api/forms', tag: 'contacts', summary: 'Create a form (VIS-5)', security: 'admin', body: forms.createSchema, bodyRequired: true, ok: { 201: { description: 'created', schema: r.form } }, errors: body400 },
  { method: 'GET', path: '/api/forms', tag: 'contacts', summary: 'Every form', security: 'admin', ok: ok200(r.formList) },
  { method: 'GET', path: '/api/forms/:id', tag: 'contacts', summary: 'A form with its submissions', security: 'admin', params: id, ok: ok200(r.form), errors: accountNotFound },
  { method: 'GET', path: '/api/contacts', tag: 'contacts', summary: 'Contacts, filtered and paged', security: 'admin', query: contacts.listSchema, ok: ok200(r.contactPage), errors: { 400: ['validation_failed'] } },
  { method: 'POST', path: '/api/contacts/import', tag: 'contacts', summary: 'Bulk import, de-duplicated by email, idempotent', security: 'admin', body: contacts.importSchema, bodyRequired: true, ok: ok200(r.contactImport), errors: body400 },
  { method: 'GET', path: '/api/contacts/:id', tag: 'contacts', summary: 'A contact with page views, sessions, submissions, leads and attribution', security: 'admin', params: id, ok: ok200(r.contact), errors: accountNotFound },
  { method: 'GET', path: '/api/contacts/:id/attribution', tag: 'contacts', summary: 'Credited ad or why not (ATT-1…4)', security: 'admin', params: id, ok: ok200(r.contactAttribution), errors: accountNotFound },
  { method: 'PATCH', path: '/api/contacts/:id', tag: 'contacts', summary: 'Lifecycle stage and properties', security: 'admin', params: id, body: contacts.patchSchema, bodyRequired: true, ok: ok200(r.contact), errors: { ...body400, ...accountNotFound, 409: ['concurrent_change'] } },
  { method: 'POST', path: '/api/campaigns', tag: 'campaigns', summary: 'Create a campaign (CMP-1)', security: 'admin', body: campaigns.createSchema, bodyRequired: true, ok: { 201: { description: 'created', schema: r.campaign } }, errors: body400 },
  { method: 'GET', path: '/api/campaigns', tag: 'campaigns', summary: 'Every campaign', security: 'admin', ok: ok200(r.campaignList) },
  { method: 'GET', path: '/api/campaigns/:id', tag: 'campaigns', summary: 'A campaign with first-touch, last-touch and influenced contacts', security: 'admin', params: id, ok: ok200(r.campaign), errors: accountNotFound },
  {
    method: 'POST', path: '/api/campaigns/:id/assets', tag: 'campaigns', summary: 'Associate an asset (one campaign per asset)', security: 'admin', params: id, body: campaigns.assetSchema, bodyRequired: true,
    ok: { 201: { description: 'associated', schema: r.campaignAsset }, 200: { description: 'already associated', schema: r.campaignAsset } }, errors: { ...body400, ...accountNotFound },
  },
  { method: 'DELETE', path: '/api/campaigns/:id/assets', tag: 'campaigns', summary: 'Remove an asset', security: 'admin', params: id, body: campaigns.assetSchema, bodyRequired: true, ok: ok200(r.campaignAsset), errors: { ...body400, 404: ['not_found', 'not_associated'] } },
  { method: 'GET', path: '/api/reports/ads', tag: 'reports', summary: 'Per ad: network numbers next to attributed contacts (REP-2, VIS-6)', security: 'admin', query: reports.querySchema, ok: ok200(r.adReport), errors: { 400: ['validation_failed'], ...accountNotFound } },
  { method: 'POST', path: '/api/accounts/:id/lead-sync', tag: 'leads', summary: 'Switch lead sync (LEAD-1)', security: 'admin', params: id, body: leads.toggleSchema, bodyRequired: true, ok: ok200(r.leadSync), errors: { ...body400, ...accountNotFound, 409: ['account_disconnected'] } },
  { method: 'GET', path: '/api/accounts/:id/lead-sync', tag: 'leads', summary: 'Lead sync per form: last sync, errors, leads at the network vs stored (LEAD-5)', security: 'admin', params: id, ok: ok200(r.leadSync), errors: accountNotFound },
  { method: 'POST', path: '/api/accounts/:id/lead-sync/reconcile', tag: 'leads', summary: 'Reconcile now', security: 'admin', params: id, body: leads.reconcileSchema, ok: ok202, errors: { ...body400, ...accountNotFound, 409: ['lead_sync_off'] } },
  { method: 'GET', path: '/api/leads', tag: 'leads', summary: 'Stored leads', security: 'admin', query: leads.listSchema, ok: ok200(r.leadPage), errors: { 400: ['validation_failed'] } },

  // Public: webhooks and visitor tracking
  { method: 'GET', path: '/webhooks/facebook', tag: 'webhooks', summary: 'Subscription verification (hub.challenge)', security: 'public', ok: { 200: { description: 'the challenge', mediaType: 'text/plain' } }, errors: { 403: ['verification_failed'] } },
  ...(['facebook', 'google', 'linkedin'] as const).map((name): Operation => ({
    method: 'POST', path: `/webhooks/${name}`, tag: 'webhooks', summary: `Lead notification from ${name}, verified over the raw body (LEAD-4)`, security: 'public',
    body: name === 'facebook' ? webhooks.facebookPayload : name === 'google' ? webhooks.googlePayload : webhooks.linkedinPayload, bodyRequired: true,
    ok: { 200: { description: 'stored', schema: r.webhookReceipt }, 202: { description: 'ignored (not for a connected account)', schema: r.webhookReceipt } },
    errors: { 400: ['validation_failed', 'invalid_json'], 401: name === 'google' ? ['invalid_key'] : ['invalid_signature'], 413: ['payload_too_large'] },
  })),
  { method: 'GET', path: '/webhooks/linkedin', tag: 'webhooks', summary: 'Challenge validation', security: 'public', ok: ok200(r.linkedinChallenge), errors: { 400: ['invalid_challenge'] } },
  { method: 'GET', path: '/t.js', tag: 'visitors', summary: 'The tracking script (VIS-1)', security: 'public', ok: { 200: { description: 'JavaScript', mediaType: 'text/javascript' } } },
  ...(['/t/pageview', '/t/forms/:formId/submissions'] as const).map((path): Operation => ({
    method: 'OPTIONS', path, tag: 'visitors', summary: 'CORS preflight (configured site origins only)', security: 'public', ok: { 204: { description: 'allowed' } }, errors: { 403: ['origin_not_allowed'] },
  })),
  {
    method: 'POST', path: '/t/pageview', tag: 'visitors', summary: 'Record a page view (JSON or text/plain JSON ≤ 16 kB)', security: 'public', body: visitors.pageViewSchema, bodyRequired: true, ok: ok202,
    errors: { 400: ['validation_failed', 'invalid_json'], 403: ['origin_not_allowed'], 413: ['payload_too_large'], 415: ['unsupported_media_type'], 429: ['rate_limited'] },
  },
  {
    method: 'POST', path: '/t/forms/:formId/submissions', tag: 'visitors', summary: 'Record a form submission', security: 'public', params: { formId: visitors.formIdSchema }, body: visitors.submissionSchema, bodyRequired: true,
    ok: { 202: { description: 'stored', schema: r.submissionAccepted } },
    errors: { 400: ['validation_failed', 'invalid_json'], 403: ['origin_not_allowed'], 404: ['form_not_found'], 413: ['payload_too_large'], 415: ['unsupported_media_type'], 429: ['rate_limited'] },
  },

  // The admin console (HTML pages and forms; the admin session cookie, CSRF token on every form)
  ...consolePages(),
  ...eventsConsolePages(),
];

/** The console's pages and forms: HTML for a browser, documented so the route table stays complete. */
function consolePages(): Operation[] {
  const html = (description: string) => ({ 200: { description, mediaType: 'text/html' } });
  const form = (description: string) => ({ 303: { description } });
  const page = (path: string, summary: string, security: Security = 'session'): Operation => ({ method: 'GET', path, tag: 'console', summary, security, ok: html('the page') });
  const post = (path: string, summary: string, security: Security = 'session'): Operation => ({
    method: 'POST', path, tag: 'console', summary, security,
    ok: { ...form('back to the page that shows the result'), 403: { description: 'an HTML error page: the CSRF token is missing or wrong', mediaType: 'text/html' } },
  });
  return [
    page('/admin', 'Console home (redirects to the accounts page)'),
    page('/admin/', 'Console home (redirects to the accounts page)'),
    page('/admin/sign-in', 'Sign-in page', 'public'),
    post('/admin/sign-in', 'Exchange the admin token for a session cookie', 'public'),
    post('/admin/sign-out', 'End the session'),
    page('/admin/accounts', 'Connected ad accounts per network with their switches and counts'),
    page('/admin/accounts/:id/stats', 'An account\'s live counts (refreshed in place until the first sweep is done)'),
    page('/admin/accounts/:id/disconnect', 'Confirm disconnecting an account'),
    post('/admin/accounts/:id/disconnect', 'Disconnect an account (ACC-6)'),
    post('/admin/accounts/:id/auto-tracking', 'Switch auto-tracking (ACC-4)'),
    post('/admin/accounts/:id/lead-sync', 'Switch lead sync (LEAD-1)'),
    page('/admin/connections/:network/:connectionId', 'Pick which of the reachable ad accounts to connect (ACC-3)'),
    post('/admin/connections/:network/:connectionId/accounts', 'Connect the picked ad accounts'),
    ...adsConsolePages(page, post),
    post('/admin/*path', 'Any other console form: refused without a session or a valid CSRF token'),
    { method: 'GET', path: '/admin/assets/console.css', tag: 'console', summary: 'Console stylesheet', security: 'public', ok: { 200: { description: 'CSS', mediaType: 'text/css' } } },
    { method: 'GET', path: '/admin/assets/htmx.min.js', tag: 'console', summary: 'htmx, served from node_modules', security: 'public', ok: { 200: { description: 'JavaScript', mediaType: 'text/javascript' } } },
    { method: 'GET', path: '/connect/:network', tag: 'console', summary: 'Start the OAuth connect flow: redirect to the network\'s authorization page with a signed, single-use state (ACC-2)', security: 'session', ok: { 302: { description: 'to the network\'s authorization page' } } },
    page('/oauth/:network/callback', 'OAuth callback: checks the state, exchanges the code, shows the account picker or a clear error page'),
  ];
}

/** Issue 13's ads pages: an account's ads, one ad, the engagement cap's fix alert, the preview, the templates. */
function adsConsolePages(page: (path: string, summary: string) => Operation, post: (path: string, summary: string) => Operation): Operation[] {
  return [
    page('/admin/accounts/:id/ads', 'An account\'s ads, filtered by tracking status (?status), paged (?cursor); each error with its reason and what to do'),
    page('/admin/accounts/:id/preview', 'What switching auto-tracking on would do, ad by ad (paged with ?page)'),
    post('/admin/accounts/:id/preview/apply', 'Apply the preview: switch auto-tracking on (ACC-4)'),
    page('/admin/ads/:id', 'One ad: tracking state, reason, audit trail (TRK-12) and daily metrics'),
    page('/admin/ads/:id/fix-alert', 'Confirm adding tracking to an ad held by the engagement cap (TRK-4)'),
    post('/admin/ads/:id/add-tracking', '"Fix alert → yes, add tracking" (TRK-4)'),
    page('/admin/templates', 'Tracking template overrides per network with the resulting parameters (TRK-9)'),
    page('/admin/templates/:network/preview', 'The parameters typed values would give, not saved (TRK-9)'),
    post('/admin/templates/:network', 'Save a network\'s utm_source / utm_medium override (TRK-9)'),
  ];
}

/** Issue 13's conversion events, lead sync, ads report and contacts pages (src/admin/events). */
function eventsConsolePages(): Operation[] {
  const html = { 200: { description: 'the page', mediaType: 'text/html' } };
  const refused = { 400: { description: 'the form again, each refusal next to its field', mediaType: 'text/html' } };
  const page = (path: string, summary: string, extra = {}): Operation => ({ method: 'GET', path, tag: 'console', summary, security: 'session', ok: { ...html, ...extra } });
  const post = (path: string, summary: string, extra = {}): Operation => ({
    method: 'POST', path, tag: 'console', summary, security: 'session',
    ok: { 303: { description: 'back to the page that shows the result' }, 403: { description: 'an HTML error page: the CSRF token is missing or wrong', mediaType: 'text/html' }, ...extra },
  });
  return [
    { method: 'GET', path: '/admin/assets/events.css', tag: 'console', summary: 'Stylesheet of the events pages', security: 'session', ok: { 200: { description: 'CSS', mediaType: 'text/css' } } },
    page('/admin/conversions', 'Conversion events with counts sent / failed / skipped and reasons (CONV-8)'),
    page('/admin/conversions/new', 'Form to define a conversion event (CONV-2…CONV-6)'),
    post('/admin/conversions', 'Define a conversion event', { ...refused, 409: refused[400], 422: refused[400] }),
    post('/admin/conversions/:id/enabled', 'Switch a conversion event on or off'),
    page('/admin/conversions/:id/delete', 'Confirm deleting a conversion event'),
    post('/admin/conversions/:id/delete', 'Delete a conversion event'),
    page('/admin/conversions/:id/replace', 'Form to replace a legacy Facebook event with one on the enhanced API (CONV-8)'),
    post('/admin/conversions/:id/replace', 'Replace a legacy Facebook event', { ...refused, 409: refused[400], 422: refused[400] }),
    page('/admin/lead-sync', 'Lead sync health per account and form (LEAD-5)'),
    page('/admin/lead-sync/:id/status', 'One account\'s lead sync section (refreshed in place after "reconcile now")'),
    post('/admin/lead-sync/:id/reconcile', 'Reconcile leads now (one form or all)'),
    page('/admin/reports', 'Ads report with date range and chart (REP-1/REP-2)', refused),
    page('/admin/contacts', 'Contacts, searched by email, with their attribution explanation', refused),
    page('/admin/contacts/:id', 'One contact: why it was (not) credited to an ad (ATT-1…ATT-4)'),
  ];
}
