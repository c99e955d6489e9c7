import { Schema, type Connection } from 'mongoose';

/** The admin's per-network template override (TRK-9); `_id` = network. */
export interface TrackingTemplateDoc {
  _id: string;
  utmSource: string | null;
  utmMedium: string | null;
  updatedAt: Date;
}

const schema = new Schema<TrackingTemplateDoc>(
  {
    _id: { type: String, required: true },
    utmSource: { type: String, default: null },
    utmMedium: { type: String, default: null },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false },
);

export const registerTrackingTemplate = (c: Connection) => c.model<TrackingTemplateDoc>('TrackingTemplate', schema, 'tracking_templates');
