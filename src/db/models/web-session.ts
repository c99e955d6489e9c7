import { Schema, type Connection } from 'mongoose';

/**
 * A web session (30 minutes without activity ends it; a new ad click starts one). `_id` =
 * "<visitorToken>:<startedAt ms>" so a retried beacon cannot create a second one.
 */
export interface WebSessionDoc {
  _id: string;
  visitorToken: string;
  /** The contact the session's page views belong to; null while the visitor is anonymous. */
  contactId: string | null;
  startedAt: Date;
  lastActivityAt: Date;
  /** first_page_view | inactivity | new_ad_click | form_submission */
  reason: string;
  landingUrl: string;
  referrer: string | null;
  /** Traffic source of the session (paid_search, paid_social, … see classifyTrafficSource). */
  trafficSource: string;
  source: {
    utm: Record<string, string>;
    hsa: Record<string, string>;
    clickIds: Record<string, string>;
    adClick: Record<string, string> | null;
  };
  /** assetKey of the ad campaign the click came from (campaign reports, ATT-5). */
  adCampaignAssetKey: string | null;
  pageViews: number;
}

const schema = new Schema<WebSessionDoc>(
  {
    _id: { type: String, required: true },
    visitorToken: { type: String, required: true },
    contactId: { type: String, default: null },
    startedAt: { type: Date, required: true },
    lastActivityAt: { type: Date, required: true },
    reason: { type: String, required: true },
    landingUrl: { type: String, required: true },
    referrer: { type: String, default: null },
    trafficSource: { type: String, required: true },
    source: { type: Schema.Types.Mixed, required: true },
    adCampaignAssetKey: { type: String, default: null },
    pageViews: { type: Number, default: 0 },
  },
  { versionKey: false, minimize: false },
);
schema.index({ visitorToken: 1, startedAt: 1 });
schema.index({ contactId: 1, startedAt: 1 });
schema.index({ adCampaignAssetKey: 1, startedAt: 1 });

export const registerWebSession = (c: Connection) => c.model<WebSessionDoc>('WebSession', schema, 'web_sessions');
