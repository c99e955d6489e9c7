import { Schema, type Connection } from 'mongoose';

/**
 * One form submission. `_id` is deterministic: a hash of the form and the client's submission id
 * (the tracking script sends one per submit), so a retried request is stored once.
 */
export interface FormSubmissionDoc {
  _id: string;
  formId: string;
  contactId: string;
  visitorToken: string | null;
  sessionId: string | null;
  email: string;
  fields: Record<string, string>;
  pageUrl: string | null;
  userAgent: string | null;
  ip: string | null;
  /** Facebook's click id for the Conversions API (`user_data.fbc`): the visitor's latest fbclid or the pixel's `_fbc`. */
  fbc: string | null;
  /** The Meta pixel's browser id (`_fbp`) when the site runs the pixel. */
  fbp: string | null;
  at: Date;
  /** Which identification rule matched (VIS-2…VIS-5) and why. */
  rule: string;
  explanation: string;
}

const schema = new Schema<FormSubmissionDoc>(
  {
    _id: { type: String, required: true },
    formId: { type: String, required: true },
    contactId: { type: String, required: true },
    visitorToken: { type: String, default: null },
    sessionId: { type: String, default: null },
    email: { type: String, required: true },
    fields: { type: Schema.Types.Mixed, default: {} },
    pageUrl: { type: String, default: null },
    userAgent: { type: String, default: null },
    ip: { type: String, default: null },
    fbc: { type: String, default: null },
    fbp: { type: String, default: null },
    at: { type: Date, required: true },
    rule: { type: String, required: true },
    explanation: { type: String, required: true },
  },
  { versionKey: false, minimize: false },
);
schema.index({ contactId: 1, at: 1 });
schema.index({ formId: 1, at: 1 });

export const registerFormSubmission = (c: Connection) => c.model<FormSubmissionDoc>('FormSubmission', schema, 'form_submissions');
