import { Router, type Request } from 'express';
import { z } from 'zod';
import type { ApiContext } from '../../api/context';
import { ApiError, parseInput } from '../../api/errors';
import { findAccount, setAutoTracking } from '../../api/routes/accounts-service';
import { listSchema, templateSchema } from '../../api/routes/ads';
import { addTrackingToCappedAd, adAuditTrail, findAd, listAccountAds, saveTrackingTemplate, trackingTemplate, type TrackingTemplateView } from '../../api/routes/ads-service';
import { trackingPreview } from '../../api/routes/tracking-preview-service';
import type { AdAccountRecord } from '../../db/models/ad-account';
import type { AdMetricDay } from '../../db/models/ad-metric';
import { NETWORKS, type Network } from '../../networks/types';
import { formField, sessionOf } from '../session';
import { adPage, adsPage, fixAlertPage, TRACKING_FILTERS } from './ads-pages';
import { previewPage } from './preview-page';
import { templatesPage, type TemplateForm } from './templates-page';

const ADS_PAGE_SIZE = 20;
const METRIC_DAYS = 30;
const adsQuery = z.object({ status: z.enum(TRACKING_FILTERS).optional(), cursor: z.string().max(200).optional(), applied: z.string().optional() });
const previewQuery = z.object({ page: z.coerce.number().int().min(1).max(10_000).default(1) });
const templateFields = z.object({ utmSource: z.string().max(200).default(''), utmMedium: z.string().max(200).default('') });
const networkParam = z.enum(NETWORKS);

const csrfOf = (res: Parameters<typeof sessionOf>[0]) => sessionOf(res)!.csrfToken;

/**
 * Issue 13, the console's ads part: an account's ads, one ad with its audit trail and metrics, the
 * engagement cap's "fix alert", the preview before switching tracking on, and the tracking templates.
 * Every page calls the services the JSON API calls; the console router in front checks the session
 * and the CSRF token of every POST.
 */
export function adsConsoleRoutes(ctx: ApiContext): Router {
  const router = Router();

  router.get('/admin/accounts/:id/ads', async (req, res) => {
    const query = parseInput(adsQuery, req.query, 'query');
    const account = await findAccount(ctx, req.params.id);
    const list = await listAccountAds(ctx, account._id, parseInput(listSchema, { trackingStatus: query.status, cursor: query.cursor, limit: ADS_PAGE_SIZE }, 'query'));
    res.type('html').send(
      adsPage({
        account,
        ads: list.items,
        filter: query.status,
        cursor: query.cursor,
        nextCursor: list.nextCursor,
        csrfToken: csrfOf(res),
        ...(query.applied !== undefined ? { notice: 'Auto-tracking is on. The sweep that applies it runs now; statuses update as it goes.' } : {}),
      }),
    );
  });

  router.get('/admin/accounts/:id/preview', async (req, res) => {
    const { page } = parseInput(previewQuery, req.query, 'query');
    const account = await findAccount(ctx, req.params.id);
    const preview = await trackingPreview(ctx, account._id);
    res.type('html').send(previewPage({ account, preview, pageNumber: page, csrfToken: csrfOf(res) }));
  });

  // "Apply" is ACC-4's switch: the sweep it triggers plans every ad exactly as the preview did.
  router.post('/admin/accounts/:id/preview/apply', async (req, res) => {
    await setAutoTracking(ctx, req.params.id, true);
    res.redirect(303, `/admin/accounts/${encodeURIComponent(req.params.id)}/ads?applied=1`);
  });

  router.get('/admin/ads/:id', async (req, res) => {
    const ad = await findAd(ctx, req.params.id);
    const [account, audit, metrics] = await Promise.all([
      ctx.db.models.AdAccount.findById(ad.accountKey).lean<AdAccountRecord>(),
      adAuditTrail(ctx, ad),
      ctx.db.models.AdMetric.find({ adKey: ad._id }).sort({ date: -1 }).limit(METRIC_DAYS).lean<AdMetricDay[]>(),
    ]);
    const notice = req.query.fixed !== undefined ? 'Accepted: tracking is added to this ad on the next sweep (within seconds).' : undefined;
    res.type('html').send(adPage({ ad, account, audit, metrics: metrics.reverse(), csrfToken: csrfOf(res), ...(notice ? { notice } : {}) }));
  });

  router.get('/admin/ads/:id/fix-alert', async (req, res) => {
    const ad = await findAd(ctx, req.params.id);
    res.type('html').send(fixAlertPage({ ad, csrfToken: csrfOf(res) }));
  });

  router.post('/admin/ads/:id/add-tracking', async (req, res) => {
    const ad = await addTrackingToCappedAd(ctx, req.params.id);
    res.redirect(303, `/admin/ads/${encodeURIComponent(ad._id)}?fixed=1`);
  });

  router.get('/admin/templates', async (req, res) => {
    const views = await Promise.all(NETWORKS.map((n) => trackingTemplate(ctx, n)));
    const notice = typeof req.query.saved === 'string' && networkParam.safeParse(req.query.saved).success ? `The ${req.query.saved} template was saved; running accounts re-apply it on their next sweep.` : undefined;
    res.type('html').send(templatesPage({ forms: views.map((view) => storedForm(view)), csrfToken: csrfOf(res), ...(notice ? { notice } : {}) }));
  });

  router.get('/admin/templates/:network/preview', async (req, res) => {
    const network = parseInput(networkParam, req.params.network, 'path');
    const typed = parseInput(templateFields, req.query, 'query');
    res.status(200).type('html').send(await templatesWith(ctx, network, typed, { previewing: true, problems: problemsOf(typed) }, csrfOf(res)));
  });

  router.post('/admin/templates/:network', async (req, res) => {
    const network = parseInput(networkParam, req.params.network, 'path');
    const typed = parseInput(templateFields, pickFields(req), 'body');
    const problems = problemsOf(typed);
    if (problems.utmSource || problems.utmMedium) {
      return void res.status(422).type('html').send(await templatesWith(ctx, network, typed, { previewing: false, problems }, csrfOf(res)));
    }
    await saveTrackingTemplate(ctx, network, toTemplateInput(typed));
    res.redirect(303, `/admin/templates?saved=${network}#template-${network}`);
  });

  return router;
}

const pickFields = (req: Request) => ({ utmSource: formField(req, 'utmSource'), utmMedium: formField(req, 'utmMedium') });

/** An empty field clears the override (null), as `PUT /api/tracking-templates/:network` takes it. */
function toTemplateInput(typed: z.output<typeof templateFields>): z.output<typeof templateSchema> {
  return { utmSource: typed.utmSource.trim() || null, utmMedium: typed.utmMedium.trim() || null };
}

/** The API's own validation, its messages placed next to the field they name. */
function problemsOf(typed: z.output<typeof templateFields>): TemplateForm['problems'] {
  try {
    parseInput(templateSchema, toTemplateInput(typed));
    return {};
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    const issues = (error.details as { issues: { path: string; message: string }[] }).issues;
    const problems: TemplateForm['problems'] = {};
    for (const issue of issues) {
      const fieldName = issue.path.split('.')[1];
      if (fieldName === 'utmSource' || fieldName === 'utmMedium') problems[fieldName] ??= `${issue.message} (${error.code})`;
    }
    return problems;
  }
}

function storedForm(view: TrackingTemplateView): TemplateForm {
  return { view, utmSource: view.utmSource ?? '', utmMedium: view.utmMedium ?? '', problems: {}, previewing: false };
}

async function templatesWith(
  ctx: ApiContext,
  network: Network,
  typed: z.output<typeof templateFields>,
  state: Pick<TemplateForm, 'previewing' | 'problems'>,
  csrfToken: string,
): Promise<string> {
  const views = await Promise.all(NETWORKS.map((n) => trackingTemplate(ctx, n)));
  const forms = views.map((view) => (view.network === network ? { view, utmSource: typed.utmSource, utmMedium: typed.utmMedium, ...state } : storedForm(view)));
  return templatesPage({ forms, csrfToken });
}
