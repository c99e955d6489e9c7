import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { ApiContext } from '../../api/context';
import { parseInput } from '../../api/errors';
import { findAccount } from '../../api/routes/accounts-service';
import { contactAttribution, listContacts, loadContact } from '../../api/routes/contacts-service';
import { createFromInput, createSchema, definitionsContext, guarded, replaceSchema } from '../../api/routes/conversion-events';
import { listSchema as contactListSchema } from '../../api/routes/contacts';
import { leadSyncStatus, reconcileLeadsNow } from '../../api/routes/lead-sync-service';
import { querySchema as reportQuerySchema } from '../../api/routes/reports';
import { adsReport } from '../../api/routes/reports-service';
import { deleteDefinition, findDefinition, listDefinitions, replaceDefinition, setEnabled } from '../../conversions/definitions';
import { ledgerSummaries } from '../../conversions/ledger';
import type { AdAccountRecord } from '../../db/models/ad-account';
import type { FormDoc } from '../../db/models/form';
import { pageNumber, slicePage } from '../paging';
import { formField, sessionOf } from '../session';
import { contactPage, contactsPage, CONTACT_FIELDS } from './contacts-page';
import { CREATE_ALIASES, CREATE_FIELDS, createFormPage, createInputOf, REPLACE_FIELDS, replaceFormPage, replaceInputOf, stickyOf } from './conversion-form';
import { confirmDeletePage, conversionsPage } from './conversions-page';
import { formProblems, optionalText } from './form-problems';
import { accountSection, leadSyncPage } from './lead-sync-page';
import { REPORT_FIELDS, reportsPage } from './reports-page';
import { EVENTS_STYLES } from './styles';

const PAGE_SIZE = 20;
const NOTICES: Record<string, string> = {
  created: 'The conversion event was created; its workflow sends matching CRM activity from now on.',
  switched: 'The conversion event was switched.',
  deleted: 'The conversion event was deleted; queued events were marked skipped.',
  replaced: 'The conversion event was replaced: the new one on the enhanced Conversions API keeps its event ids.',
};
const sinceSchema = z.object({ since: z.iso.datetime().optional() });
const reconcileFormSchema = z.object({ formId: z.string().min(1).max(64).optional() });
const switchFormSchema = z.object({ enabled: z.enum(['true', 'false']).transform((v) => v === 'true') });

const csrf = (res: Response) => sessionOf(res)!.csrfToken;
const query = (req: Request, name: string) => (typeof req.query[name] === 'string' ? req.query[name] : undefined);

/**
 * Issue 13's conversion events, lead sync health, ads report and contacts pages. Each route parses
 * the form, calls the service the JSON API calls and presents the result; a refusal is shown next to
 * the fields its details name.
 */
export function eventsConsoleRoutes(ctx: ApiContext): Router {
  const router = Router();
  const { models } = ctx.db;
  const definitions = definitionsContext(ctx);
  const accounts = (filter: Record<string, unknown> = {}) => models.AdAccount.find(filter).sort({ network: 1, name: 1, _id: 1 }).lean<AdAccountRecord[]>();

  router.get('/admin/assets/events.css', (_req, res) => {
    res.type('text/css').set('Cache-Control', 'public, max-age=300').send(EVENTS_STYLES);
  });

  router.get('/admin/conversions', async (req, res) => {
    const slice = slicePage(await listDefinitions(definitions), pageNumber(req.query.page), PAGE_SIZE);
    const summaries = await ledgerSummaries(models, slice.items.map((d) => d._id));
    res.type('html').send(conversionsPage({ csrfToken: csrf(res), slice, summaries, notice: NOTICES[query(req, 'notice') ?? ''] }));
  });

  const createForm = async () => ({
    accounts: await accounts({ status: { $ne: 'disconnected' } }),
    forms: await models.Form.find().sort({ name: 1, _id: 1 }).limit(500).lean<FormDoc[]>(),
  });

  router.get('/admin/conversions/new', async (_req, res) => {
    res.type('html').send(createFormPage({ csrfToken: csrf(res), ...(await createForm()) }));
  });

  router.post('/admin/conversions', async (req, res) => {
    try {
      await createFromInput(definitions, parseInput(createSchema, createInputOf(req)));
    } catch (error) {
      const problems = formProblems(error, CREATE_FIELDS, CREATE_ALIASES);
      return void res.status(problems.status).type('html').send(createFormPage({ csrfToken: csrf(res), ...(await createForm()), problems, sticky: stickyOf(req) }));
    }
    res.redirect(303, '/admin/conversions?notice=created');
  });

  router.post('/admin/conversions/:id/enabled', async (req, res) => {
    const { enabled } = parseInput(switchFormSchema, { enabled: formField(req, 'enabled') });
    await guarded(() => setEnabled(definitions, req.params.id, enabled));
    res.redirect(303, '/admin/conversions?notice=switched');
  });

  router.get('/admin/conversions/:id/delete', async (req, res) => {
    const definition = await guarded(() => findDefinition(definitions, req.params.id));
    res.type('html').send(confirmDeletePage({ csrfToken: csrf(res), definition }));
  });

  router.post('/admin/conversions/:id/delete', async (req, res) => {
    await guarded(() => deleteDefinition(definitions, req.params.id));
    res.redirect(303, '/admin/conversions?notice=deleted');
  });

  router.get('/admin/conversions/:id/replace', async (req, res) => {
    const definition = await guarded(() => findDefinition(definitions, req.params.id));
    res.type('html').send(replaceFormPage({ csrfToken: csrf(res), definition }));
  });

  router.post('/admin/conversions/:id/replace', async (req, res) => {
    const definition = await guarded(() => findDefinition(definitions, req.params.id));
    try {
      const input = parseInput(replaceSchema, replaceInputOf(req));
      await guarded(() => replaceDefinition(definitions, definition._id, input));
    } catch (error) {
      const problems = formProblems(error, REPLACE_FIELDS);
      return void res.status(problems.status).type('html').send(replaceFormPage({ csrfToken: csrf(res), definition, problems, sticky: stickyOf(req) }));
    }
    res.redirect(303, '/admin/conversions?notice=replaced');
  });

  router.get('/admin/lead-sync', async (req, res) => {
    const slice = slicePage(await accounts({ status: { $ne: 'disconnected' } }), pageNumber(req.query.page), 10);
    const items = await Promise.all(slice.items.map(async (account) => ({ account, status: await leadSyncStatus(ctx, account) })));
    const { since } = parseInput(sinceSchema, { since: query(req, 'since') }, 'query');
    const reconcilingId = query(req, 'reconciling');
    res.type('html').send(
      leadSyncPage({ csrfToken: csrf(res), slice: { ...slice, items }, reconciling: reconcilingId && since ? { accountId: reconcilingId, since: new Date(since) } : undefined }),
    );
  });

  router.get('/admin/lead-sync/:id/status', async (req, res) => {
    const account = await findAccount(ctx, req.params.id);
    const { since } = parseInput(sinceSchema, { since: query(req, 'since') }, 'query');
    res.type('html').send(accountSection({ account, status: await leadSyncStatus(ctx, account) }, csrf(res), since ? new Date(since) : undefined).value);
  });

  router.post('/admin/lead-sync/:id/reconcile', async (req, res) => {
    const { formId } = parseInput(reconcileFormSchema, { formId: optionalText(req, 'formId') });
    const account = await findAccount(ctx, req.params.id);
    const since = new Date().toISOString();
    await reconcileLeadsNow(ctx, account, formId);
    res.redirect(303, `/admin/lead-sync?reconciling=${encodeURIComponent(account._id)}&since=${encodeURIComponent(since)}`);
  });

  router.get('/admin/reports', async (req, res) => {
    const all = await accounts();
    const given = { accountId: query(req, 'accountId') ?? all[0]?._id, from: query(req, 'from') || undefined, to: query(req, 'to') || undefined };
    if (!given.accountId) return void res.type('html').send(reportsPage({ csrfToken: csrf(res), accounts: all, query: given }));
    try {
      const report = await adsReport(ctx, parseInput(reportQuerySchema, given, 'query'));
      const slice = slicePage(report.rows, pageNumber(req.query.page), PAGE_SIZE);
      res.type('html').send(reportsPage({ csrfToken: csrf(res), accounts: all, query: given, report, slice }));
    } catch (error) {
      const problems = formProblems(error, REPORT_FIELDS);
      res.status(problems.status).type('html').send(reportsPage({ csrfToken: csrf(res), accounts: all, query: given, problems }));
    }
  });

  router.get('/admin/contacts', async (req, res) => {
    const filters = { email: query(req, 'email') || undefined, attributedAd: query(req, 'attributedAd') || undefined, cursor: query(req, 'cursor') || undefined };
    try {
      const { contacts, nextCursor } = await listContacts(ctx, parseInput(contactListSchema, { ...filters, limit: String(PAGE_SIZE) }, 'query'));
      res.type('html').send(contactsPage({ csrfToken: csrf(res), filters, contacts, nextCursor }));
    } catch (error) {
      const problems = formProblems(error, CONTACT_FIELDS);
      res.status(problems.status).type('html').send(contactsPage({ csrfToken: csrf(res), filters, contacts: [], nextCursor: null, problems }));
    }
  });

  router.get('/admin/contacts/:id', async (req, res) => {
    const attribution = await contactAttribution(ctx, req.params.id);
    res.type('html').send(contactPage({ csrfToken: csrf(res), contact: await loadContact(ctx, req.params.id), attribution }));
  });

  return router;
}
