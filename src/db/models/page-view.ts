import { Schema, type Connection } from 'mongoose';

/** One page view from the tracking script; `_id` = "<visitorToken>:<pageViewId>" (a retried beacon is one view). */
export interface PageViewDoc {
  _id: string;
  visitorToken: string;
  sessionId: string;
  /** Null while the visitor is anonymous (or only temporarily identified, VIS-7); tied on a form submission (VIS-2). */
  contactId: string | null;
  url: string;
  urlTruncated: boolean;
  referrer: string | null;
  title: string | null;
  at: Date;
}

const schema = new Schema<PageViewDoc>(
  {
    _id: { type: String, required: true },
    visitorToken: { type: String, required: true },
    sessionId: { type: String, required: true },
    contactId: { type: String, default: null },
    url: { type: String, required: true },
    urlTruncated: { type: Boolean, default: false },
    referrer: { type: String, default: null },
    title: { type: String, default: null },
    at: { type: Date, required: true },
  },
  { versionKey: false },
);
schema.index({ visitorToken: 1, contactId: 1 });
schema.index({ contactId: 1, at: 1 });
// No index by session: no reader looks page views up by session, and each index is a write per view (P8).

export const registerPageView = (c: Connection) => c.model<PageViewDoc>('PageView', schema, 'page_views');
