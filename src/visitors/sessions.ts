/**
 * Visitors and their web sessions as stored: the pure session rules (decideSession, 30 minutes,
 * new ad click = new session) applied to the Visitor document with an optimistic check on the
 * visitor's current session id, so two concurrent beacons cannot both open a session.
 */
import { applyTrackedEmailClick, pageViewOwner, type CookieIdentity } from '../domain/contacts';
import { facebookClickCookie } from '../domain/conversions';
import { classifyTrafficSource, decideSession, hostOf, type OpenSession } from '../domain/visitors';
import type { Models } from '../db/models';
import type { VisitorDoc } from '../db/models/visitor';
import type { WebSessionDoc } from '../db/models/web-session';
import { adCampaignAssetKeyOf } from '../contacts/attribution';
import { retryOnDuplicateKey } from '../db/upserts';
import { addVisitorToken, isDuplicateKeyError, markEmailLinkUsed } from '../contacts/repository';

export type VisitorModels = Pick<Models, 'Visitor' | 'WebSession' | 'Contact' | 'ContactLock'>;

const iso = (date: Date | string) => new Date(date).toISOString();

export function identityOf(visitor: Pick<VisitorDoc, 'identity'> | null | undefined): CookieIdentity {
  const identity = visitor?.identity;
  if (!identity || identity.kind === 'anonymous') return { kind: 'anonymous' };
  if (identity.kind === 'temporary' && identity.claimedContactId) {
    return { kind: 'temporary', claimedContactId: identity.claimedContactId, at: iso(identity.at ?? new Date(0)) };
  }
  if (identity.kind === 'identified' && identity.contactId) {
    return { kind: 'identified', contactId: identity.contactId, via: identity.via ?? 'form', at: iso(identity.at ?? new Date(0)) };
  }
  return { kind: 'anonymous' };
}

export function identityDoc(identity: CookieIdentity): VisitorDoc['identity'] {
  switch (identity.kind) {
    case 'anonymous':
      return { kind: 'anonymous' };
    case 'temporary':
      return { kind: 'temporary', claimedContactId: identity.claimedContactId, at: new Date(identity.at) };
    case 'identified':
      return { kind: 'identified', contactId: identity.contactId, via: identity.via, at: new Date(identity.at) };
  }
}

/** The visitor for `token`, created on first sight. */
export async function loadOrCreateVisitor(models: VisitorModels, token: string, at: Date): Promise<VisitorDoc> {
  const upsert = () =>
    models.Visitor.findOneAndUpdate(
      { _id: token },
      { $setOnInsert: { identity: { kind: 'anonymous' }, session: null, firstSeenAt: at, pageViews: 0 }, $set: { lastSeenAt: at } },
      { upsert: true, new: true, lean: true },
    );
  // Concurrent first beacons of a new visitor (issue 15 #14: a burst got 500s).
  return (await retryOnDuplicateKey(upsert)) as VisitorDoc;
}

/**
 * VIS-7: a landing URL carrying a tracked-email recipient. The first click of that recipient's
 * links identifies the browser; later ones give it only a temporary identity.
 */
export async function applyEmailClick(models: VisitorModels, visitor: VisitorDoc, recipientContactId: string, at: Date): Promise<VisitorDoc> {
  const recipient = await models.Contact.findById(recipientContactId, { emailLinkUsedAt: 1 }).lean<{ emailLinkUsedAt: Date | null }>();
  if (!recipient) return visitor;
  const outcome = applyTrackedEmailClick(identityOf(visitor), {
    recipientContactId,
    recipientLinkAlreadyUsed: recipient.emailLinkUsedAt !== null && recipient.emailLinkUsedAt !== undefined,
    at: iso(at),
  });
  if (outcome.effect === 'unchanged') return visitor;
  if (outcome.markRecipientLinkUsed) {
    // Only the first browser wins the recipient's link: conditional on it being unused.
    if (!(await markEmailLinkUsed(models, recipientContactId, at))) return applyEmailClick(models, visitor, recipientContactId, at);
  }
  const identity = identityDoc(outcome.identity);
  await models.Visitor.updateOne({ _id: visitor._id }, { $set: { identity } });
  if (outcome.identity.kind === 'identified') {
    await addVisitorToken(models, recipientContactId, visitor._id);
  }
  return { ...visitor, identity };
}

export interface ActivityEvent {
  at: Date;
  /** The raw page URL (parameters are read before any length cap). */
  rawUrl: string;
  /** The normalised, capped URL as stored. */
  url: string;
  referrer: string | null;
  /** Counts as a page view (false for a form submission touching the session). */
  pageView: boolean;
}

const SESSION_WRITE_ATTEMPTS = 5;

/** The writes one session event makes, planned from the visitor as read (pure; the caller writes). */
export interface SessionPlan {
  sessionId: string;
  /** Guarded on the visitor's session as read, unless `guarded` was false. */
  visitorFilter: Record<string, unknown>;
  visitorUpdate: { $set: Record<string, unknown>; $inc?: Record<string, number> };
  session: { kind: 'touch'; update: { $set: { lastActivityAt: Date }; $inc?: { pageViews: number } } } | { kind: 'open'; doc: WebSessionDoc };
  /** The visitor as it is once the plan is written. */
  visitor: VisitorDoc;
}

/** Plans the session writes of `event` for `visitor`; null when the rules give nothing to write. */
export function planSessionActivity(visitor: VisitorDoc, event: ActivityEvent, guarded: boolean): SessionPlan | null {
  const current: OpenSession | undefined = visitor.session
    ? { lastActivityAt: iso(visitor.session.lastActivityAt), source: visitor.session.source as OpenSession['source'] }
    : undefined;
  const decision = decideSession(current, { at: iso(event.at), url: event.rawUrl });
  const currentId = visitor.session?.id ?? null;
  const guard = !guarded ? { _id: visitor._id } : currentId === null ? { _id: visitor._id, session: null } : { _id: visitor._id, 'session.id': currentId };
  const inc = event.pageView ? { $inc: { pageViews: 1 } } : {};

  if (decision.kind === 'same_session' && visitor.session) {
    const lastActivityAt = new Date(decision.lastActivityAt);
    return {
      sessionId: visitor.session.id,
      visitorFilter: guard,
      // Unguarded, the whole session is written: a racing write may have put `session: null` back.
      visitorUpdate: { $set: { ...(guarded ? { 'session.lastActivityAt': lastActivityAt } : { session: { ...visitor.session, lastActivityAt } }), lastSeenAt: event.at }, ...inc },
      session: { kind: 'touch', update: { $set: { lastActivityAt }, ...inc } },
      visitor: { ...visitor, session: { ...visitor.session, lastActivityAt } },
    };
  }
  if (decision.kind !== 'new_session') return null;
  const startedAt = new Date(decision.startedAt);
  const sessionId = `${visitor._id}:${startedAt.getTime()}`;
  const session = {
    id: sessionId,
    startedAt,
    lastActivityAt: startedAt,
    source: { adClick: decision.source.adClick as Record<string, string> | null, clickIds: decision.source.clickIds as Record<string, string> },
  };
  const fbc = facebookClickCookie(decision.source.clickIds.fbclid, startedAt.getTime());
  const landingHost = hostOf(event.url);
  const doc: WebSessionDoc = {
    _id: sessionId,
    visitorToken: visitor._id,
    contactId: pageViewOwner(identityOf(visitor)),
    startedAt,
    lastActivityAt: startedAt,
    reason: event.pageView ? decision.reason : 'form_submission',
    landingUrl: event.url,
    referrer: event.referrer,
    trafficSource: classifyTrafficSource(decision.source, hostOf(event.referrer ?? undefined), landingHost),
    source: {
      utm: decision.source.utm,
      hsa: decision.source.hsa,
      clickIds: decision.source.clickIds,
      adClick: decision.source.adClick as Record<string, string> | null,
    },
    adCampaignAssetKey: adCampaignAssetKeyOf(decision.source.adClick),
    pageViews: event.pageView ? 1 : 0,
  };
  return {
    sessionId,
    visitorFilter: guard,
    visitorUpdate: { $set: { session, lastSeenAt: event.at, ...(fbc !== undefined ? { fbc } : {}) }, ...inc },
    session: { kind: 'open', doc },
    visitor: { ...visitor, session, ...(fbc !== undefined ? { fbc } : {}) },
  };
}

/** Records activity in the visitor's session (opening a new one when the rules say so); returns the session id. */
export async function recordSessionActivity(models: VisitorModels, visitorIn: VisitorDoc, event: ActivityEvent): Promise<{ sessionId: string; visitor: VisitorDoc }> {
  let visitor = visitorIn;
  for (let attempt = 0; attempt < SESSION_WRITE_ATTEMPTS; attempt += 1) {
    // The last attempt writes without the guard: a burst of concurrent first beacons can keep every
    // guarded write losing (FerretDB applies racing conditional updates as read-modify-write, so
    // several "first" sessions replace each other), and the event belongs to the visitor all the same
    // (issue 15 #14: these were 500s).
    const plan = planSessionActivity(visitor, event, attempt < SESSION_WRITE_ATTEMPTS - 1);
    if (plan === null) continue;
    const updated = await models.Visitor.updateOne(plan.visitorFilter, plan.visitorUpdate);
    if (updated.matchedCount === 0) {
      visitor = (await models.Visitor.findById(visitor._id).lean<VisitorDoc>()) ?? visitor;
      continue;
    }
    if (plan.session.kind === 'touch') await models.WebSession.updateOne({ _id: plan.sessionId }, plan.session.update);
    else {
      const { _id, ...doc } = plan.session.doc;
      await ignoreDuplicateKey(models.WebSession.updateOne({ _id }, { $setOnInsert: doc }, { upsert: true }));
    }
    return { sessionId: plan.sessionId, visitor: plan.visitor };
  }
  throw new Error('the visitor session kept changing concurrently');
}

/** An insert-only upsert that lost a race to the same insert: the document exists, as wanted. */
export async function ignoreDuplicateKey(write: Promise<unknown>): Promise<void> {
  try {
    await write;
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
  }
}
