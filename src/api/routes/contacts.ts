import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import { importContacts } from '../../contacts/import';
import { ConcurrentContactChangeError, updateContact } from '../../contacts/update';
import { deliverSoon, relayDepsOf } from '../../conversions/crm-relay';
import { presentActivity, presentContact, presentContactSummary } from '../../contacts/present';
import { LIFECYCLE_STAGES } from '../../domain/contacts';
import type { FormSubmissionDoc } from '../../db/models/form-submission';
import type { LeadDoc } from '../../db/models/lead';
import type { PageViewDoc } from '../../db/models/page-view';
import type { WebSessionDoc } from '../../db/models/web-session';
import { recipientParam } from '../../visitors/email-link';
import type { ApiContext } from '../context';
import { ApiError, parseInput } from '../errors';
import { contactAttribution, listContacts, loadContact } from './contacts-service';

export const listSchema = z.object({
  email: z.string().max(254).optional(),
  source: z.string().max(64).optional(),
  /** The Ad key "<network>:<adId>" the contact is attributed to. */
  attributedAd: z.string().max(200).optional(),
  attributed: z.enum(['true', 'false']).optional(),
  lifecycleStage: z.enum(LIFECYCLE_STAGES).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(100).optional(),
});

const propertyValue = z.union([z.string().max(2000), z.number(), z.boolean(), z.null()]);
export const patchSchema = z
  .object({
    lifecycleStage: z.enum(LIFECYCLE_STAGES).optional(),
    /** Merged into the contact's properties (e.g. a consent flag CONV-5 checks); null removes. */
    properties: z.record(z.string().regex(/^[A-Za-z][\w-]{0,63}$/, 'letters, digits, dash or underscore'), propertyValue).optional(),
  })
  .strict()
  .refine((body) => body.lifecycleStage !== undefined || body.properties !== undefined, 'give lifecycleStage and/or properties');

export const importSchema = z
  .object({
    contacts: z
      .array(
        z
          .object({
            email: z.string().max(254),
            firstName: z.string().max(200).optional(),
            lastName: z.string().max(200).optional(),
            phone: z.string().max(64).optional(),
            company: z.string().max(200).optional(),
            jobTitle: z.string().max(200).optional(),
            lifecycleStage: z.string().max(64).optional(),
            properties: z.record(z.string().regex(/^[A-Za-z][\w-]{0,63}$/), propertyValue).optional(),
          })
          .strict(),
      )
      .min(1)
      .max(2000),
  })
  .strict();

/** Contacts (VIS-2…VIS-5): list, inspect (activity, identification, attribution and why), change, import. */
export function contactRoutes(ctx: ApiContext): Router {
  const router = Router();
  const { models } = ctx.db;
  const emailLinkKey = ctx.config.ENCRYPTION_KEYS[0]!.key;

  const load = (id: string) => loadContact(ctx, id);

  router.get('/contacts', async (req, res) => {
    const { contacts, nextCursor } = await listContacts(ctx, parseInput(listSchema, req.query, 'query'));
    res.json({ items: contacts.map(presentContactSummary), nextCursor });
  });

  router.post('/contacts/import', async (req, res) => {
    const input = parseInput(importSchema, req.body);
    const { activityIds, ...result } = await importContacts(models, input.contacts, `import:${randomUUID()}`);
    deliverSoon(relayDepsOf(ctx), activityIds);
    res.status(200).json(result);
  });

  router.get('/contacts/:id', async (req, res) => {
    const contact = await load(req.params.id);
    const [pageViews, sessions, submissions, leads] = await Promise.all([
      models.PageView.find({ contactId: contact._id }).sort({ at: -1 }).limit(200).lean<PageViewDoc[]>(),
      models.WebSession.find({ contactId: contact._id }).sort({ startedAt: -1 }).limit(100).lean<WebSessionDoc[]>(),
      models.FormSubmission.find({ contactId: contact._id }).sort({ at: -1 }).limit(100).lean<FormSubmissionDoc[]>(),
      models.Lead.find({ contactId: contact._id }).sort({ createdTime: -1 }).limit(100).lean<LeadDoc[]>(),
    ]);
    res.json({
      ...presentContact(contact),
      ...presentActivity({ pageViews, sessions, submissions, leads }),
      trackedEmailLinkParam: `atk_rcpt=${recipientParam(emailLinkKey, contact._id)}`,
    });
  });

  /** ATT-1…ATT-3: why the contact was (not) credited to an ad; recomputed from what is stored. */
  router.get('/contacts/:id/attribution', async (req, res) => {
    res.json(await contactAttribution(ctx, req.params.id));
  });

  router.patch('/contacts/:id', async (req, res) => {
    const input = parseInput(patchSchema, req.body);
    const contact = await load(req.params.id);
    try {
      const { activityIds } = await updateContact(models, contact, input);
      deliverSoon(relayDepsOf(ctx), activityIds);
    } catch (error) {
      if (error instanceof ConcurrentContactChangeError) throw new ApiError(409, 'concurrent_change', 'The contact changed meanwhile; read it again and retry.');
      throw error;
    }
    res.json(presentContact(await load(contact._id)));
  });

  return router;
}
