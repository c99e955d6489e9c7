import { Schema, type Connection } from 'mongoose';

/** CMP-1: a marketing campaign grouping assets. */
export interface CampaignDoc {
  _id: string;
  name: string;
  utmCampaign: string | null;
  startAt: Date | null;
  endAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

const schema = new Schema<CampaignDoc>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    utmCampaign: { type: String, default: null },
    startAt: { type: Date, default: null },
    endAt: { type: Date, default: null },
  },
  { timestamps: true, versionKey: false },
);

/** One period an asset belonged to a campaign (ATT-5); `until` null = still does. */
export interface CampaignAssociationDoc {
  _id: string;
  campaignId: string;
  assetKey: string;
  asset: { kind: string; id: string; network?: string };
  from: Date;
  until: Date | null;
}

const associationSchema = new Schema<CampaignAssociationDoc>(
  {
    _id: { type: String, required: true },
    campaignId: { type: String, required: true },
    assetKey: { type: String, required: true },
    asset: { type: Schema.Types.Mixed, required: true },
    from: { type: Date, required: true },
    until: { type: Date, default: null },
  },
  { versionKey: false },
);
associationSchema.index({ assetKey: 1, from: 1 });
associationSchema.index({ campaignId: 1 });

export const registerCampaign = (c: Connection) => c.model<CampaignDoc>('Campaign', schema, 'campaigns');
export const registerCampaignAssociation = (c: Connection) =>
  c.model<CampaignAssociationDoc>('CampaignAssociation', associationSchema, 'campaign_associations');
