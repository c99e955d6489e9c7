import { Schema, type Connection } from 'mongoose';

/** A form of this system (CONV-2: only these can trigger form-submission conversion events). */
export interface FormDoc {
  _id: string;
  name: string;
  /** VIS-5: every submission with a new email creates a new contact, even from a known browser. */
  alwaysCreateNewContact: boolean;
  createdAt: Date;
  updatedAt: Date;
}

const schema = new Schema<FormDoc>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    alwaysCreateNewContact: { type: Boolean, default: false },
  },
  { timestamps: true, versionKey: false },
);

export const registerForm = (c: Connection) => c.model<FormDoc>('Form', schema, 'forms');
