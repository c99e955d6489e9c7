import { Schema, type Connection } from 'mongoose';

/** The visitor's open session as the session rules need it (decideSession). */
export interface VisitorSessionRef {
  id: string;
  startedAt: Date;
  lastActivityAt: Date;
  /** adClick + clickIds of the session's landing URL, to recognise a new ad click. */
  source: { adClick: Record<string, string> | null; clickIds: Record<string, string> };
}

/** VIS-1/VIS-7: one browser, keyed by its visitor token (the `adtrack_vid` cookie value). */
export interface VisitorDoc {
  _id: string;
  /** CookieIdentity (src/domain/contacts/cookie-identity.ts) with Date times. */
  identity: { kind: 'anonymous' | 'identified' | 'temporary'; contactId?: string; via?: 'form' | 'email_click'; claimedContactId?: string; at?: Date };
  session: VisitorSessionRef | null;
  /**
   * Facebook's click id (`fb.1.<ms>.<fbclid>`) from the latest landing URL that carried an fbclid,
   * kept like Meta's `_fbc` cookie so a later submission can still name the click.
   */
  fbc?: string | null;
  firstSeenAt: Date;
  lastSeenAt: Date;
  pageViews: number;
}

const schema = new Schema<VisitorDoc>(
  {
    _id: { type: String, required: true },
    identity: { type: Schema.Types.Mixed, default: () => ({ kind: 'anonymous' }) },
    session: { type: Schema.Types.Mixed, default: null },
    fbc: { type: String, default: null },
    firstSeenAt: { type: Date, required: true },
    lastSeenAt: { type: Date, required: true },
    pageViews: { type: Number, default: 0 },
  },
  { versionKey: false, minimize: false },
);
schema.index({ 'identity.contactId': 1 });

export const registerVisitor = (c: Connection) => c.model<VisitorDoc>('Visitor', schema, 'visitors');
