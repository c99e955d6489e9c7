import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import type { FormDoc } from '../../db/models/form';
import type { ApiContext } from '../context';
import { notFound, parseInput } from '../errors';

export const createSchema = z.object({ name: z.string().trim().min(1).max(200), alwaysCreateNewContact: z.boolean().default(false) }).strict();

export const presentForm = (form: FormDoc) => ({
  id: form._id,
  name: form.name,
  alwaysCreateNewContact: form.alwaysCreateNewContact,
  submissionPath: `/t/forms/${form._id}/submissions`,
  createdAt: form.createdAt,
  updatedAt: form.updatedAt,
});

/** Forms of this system (VIS-5 option; CONV-2 only these can trigger form-submission events). */
export function formRoutes(ctx: ApiContext): Router {
  const router = Router();

  router.post('/forms', async (req, res) => {
    const input = parseInput(createSchema, req.body);
    const form = await ctx.db.models.Form.create({ _id: randomUUID(), name: input.name, alwaysCreateNewContact: input.alwaysCreateNewContact });
    res.status(201).json(presentForm(form.toObject()));
  });

  router.get('/forms', async (_req, res) => {
    const forms = await ctx.db.models.Form.find().sort({ createdAt: 1, _id: 1 }).limit(1000).lean<FormDoc[]>();
    res.json({ items: forms.map(presentForm) });
  });

  router.get('/forms/:id', async (req, res) => {
    const form = await ctx.db.models.Form.findById(req.params.id).lean<FormDoc>();
    if (!form) throw notFound('Form');
    const submissions = await ctx.db.models.FormSubmission.countDocuments({ formId: form._id });
    res.json({ ...presentForm(form), submissions });
  });

  return router;
}
