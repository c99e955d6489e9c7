/**
 * VIS-1: a page view from the tracking script. Anonymous visitors' page views are kept with
 * contactId null and tied to the contact on a form submission (VIS-2); an identified browser's
 * page views are logged for its contact right away.
 */
import { createHash } from 'node:crypto';
import { normalisePageUrl } from '../domain/visitors';
import type { Models } from '../db/models';
import { applyEmailClick, loadOrCreateVisitor } from './sessions';
import type { PageViewStore } from './page-view-store';
import { recipientFromUrl } from './email-link';

export interface PageViewInput {
  visitorToken: string;
  url: string;
  referrer?: string | undefined;
  title?: string | undefined;
  /** Random id per page view from the script: a retried beacon is stored once. */
  pageViewId?: string | undefined;
  at: Date;
}

export interface PageViewDeps {
  models: Pick<Models, 'Visitor' | 'WebSession' | 'PageView' | 'Contact' | 'ContactLock'>;
  /** Keys that may have signed tracked-email links (VIS-7). */
  emailLinkKeys: readonly Buffer[];
  /** Page views written together with those of concurrent requests (one per API process). */
  store: PageViewStore;
}

export class TrackingInputError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

export function normaliseReferrer(raw: string | undefined): string | null {
  if (raw === undefined || raw === '') return null;
  const result = normalisePageUrl(raw);
  return result.ok ? result.url : null;
}

export async function recordPageView(deps: PageViewDeps, input: PageViewInput): Promise<{ pageViewId: string; sessionId: string; contactId: string | null }> {
  const page = normalisePageUrl(input.url);
  if (!page.ok) throw new TrackingInputError('url', `The page URL is not usable (${page.reason}).`);
  const referrer = normaliseReferrer(input.referrer);
  const pageViewId =
    input.pageViewId ?? createHash('sha256').update(`${input.visitorToken}|${page.url}|${input.at.getTime()}`).digest('hex').slice(0, 32);
  const id = `${input.visitorToken}:${pageViewId}`;

  return deps.store.forVisitor(input.visitorToken, async () => {
    let visitor = await deps.store.visitor(input.visitorToken);
    const recipient = recipientFromUrl(deps.emailLinkKeys, input.url);
    if (recipient !== null) {
      // Identified now: should this page view's write fail, the next one reads the visitor anew.
      deps.store.forget(input.visitorToken);
      visitor = await applyEmailClick(deps.models, visitor ?? (await loadOrCreateVisitor(deps.models, input.visitorToken, input.at)), recipient, input.at);
    }

    // A retried beacon is not looked up first: its insert in the batch is a duplicate, counted once.
    const stored = await deps.store.store(
      visitor,
      { at: input.at, rawUrl: input.url, url: page.url, referrer, pageView: true },
      { _id: id, visitorToken: input.visitorToken, url: page.url, urlTruncated: page.truncated, referrer, title: input.title?.slice(0, 512) ?? null, at: input.at },
    );
    return { pageViewId: id, ...stored };
  });
}
