import { refreshContactAttribution } from '../../contacts/attribution';
import { presentAttribution } from '../../contacts/present';
import { normaliseEmail, type LifecycleStage } from '../../domain/contacts';
import { normaliseContact, type ContactDoc } from '../../db/models/contact';
import type { ApiContext } from '../context';
import { notFound } from '../errors';

/** Contacts as `GET /api/contacts*` and the console's contacts page show them. */

export interface ContactQuery {
  email?: string | undefined;
  source?: string | undefined;
  attributedAd?: string | undefined;
  attributed?: 'true' | 'false' | undefined;
  lifecycleStage?: LifecycleStage | undefined;
  limit: number;
  cursor?: string | undefined;
}

export async function loadContact(ctx: ApiContext, id: string): Promise<ContactDoc> {
  const contact = await ctx.db.models.Contact.findById(id).lean<ContactDoc>();
  if (!contact) throw notFound('Contact');
  return normaliseContact(contact);
}

/** Filtered, paged by id (cursor = the last id of the previous page). */
export async function listContacts(ctx: ApiContext, query: ContactQuery): Promise<{ contacts: ContactDoc[]; nextCursor: string | null }> {
  const { models } = ctx.db;
  const filter: Record<string, unknown> = {};
  if (query.email !== undefined) {
    const email = normaliseEmail(query.email);
    const owner = email === null ? null : await models.ContactEmail.findById(email).lean();
    if (!owner) return { contacts: [], nextCursor: null };
    filter._id = owner.contactId;
  }
  if (query.source !== undefined) filter.source = query.source;
  if (query.lifecycleStage !== undefined) filter.lifecycleStage = query.lifecycleStage;
  if (query.attributedAd !== undefined) filter['attribution.ad.adKey'] = query.attributedAd;
  if (query.attributed !== undefined) filter['attribution.attributed'] = query.attributed === 'true';
  if (query.cursor !== undefined) filter._id = filter._id === undefined ? { $gt: query.cursor } : { $eq: filter._id, $gt: query.cursor };
  const contacts = await models.Contact.find(filter).sort({ _id: 1 }).limit(query.limit + 1).lean<ContactDoc[]>();
  const page = contacts.slice(0, query.limit);
  return { contacts: page.map(normaliseContact), nextCursor: contacts.length > query.limit ? page[page.length - 1]!._id : null };
}

/** ATT-1…ATT-3: why the contact was (not) credited to an ad; recomputed from what is stored. */
export async function contactAttribution(ctx: ApiContext, id: string) {
  const contact = await loadContact(ctx, id);
  if (contact.firstConversionAt !== null) await refreshContactAttribution(ctx.db.models, contact._id);
  return { contactId: contact._id, ...presentAttribution(await loadContact(ctx, contact._id)) };
}
