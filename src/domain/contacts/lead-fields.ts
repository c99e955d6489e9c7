/**
 * Lead-form answers → contact properties. Each network names the same question differently:
 * Facebook `field_data[].name` (email, full_name, first_name, phone_number…, §7.2), Google
 * `column_id` / `fieldType` (EMAIL, FULL_NAME, PHONE_NUMBER, WORK_EMAIL…, §5), LinkedIn the
 * question `name` or its predefined field (email, first_name, or advertiser-chosen names such as
 * emailAddress, §3). Keys are compared after lower-casing and dropping everything but letters and
 * digits, so `FULL_NAME`, `full_name`, `Full Name` and `fullName` are one key.
 */
import { normaliseEmail } from './email';

export interface LeadContactProperties {
  email?: string;
  firstName?: string;
  lastName?: string;
  fullName?: string;
  phone?: string;
  company?: string;
  jobTitle?: string;
  city?: string;
  state?: string;
  country?: string;
  postalCode?: string;
  /** Every answer not mapped to a property above, by its original field name (custom questions). */
  otherAnswers: Record<string, string>;
}

type MappedProperty = Exclude<keyof LeadContactProperties, 'otherAnswers'>;

/** Accepted keys per property, in priority order (a personal email wins over a work email). */
const FIELD_KEYS: Record<MappedProperty, readonly string[]> = {
  email: ['email', 'emailaddress', 'useremail', 'workemail', 'businessemail', 'workemailaddress'],
  fullName: ['fullname', 'name', 'username'],
  firstName: ['firstname', 'givenname'],
  lastName: ['lastname', 'familyname', 'surname'],
  phone: ['phonenumber', 'phone', 'userphone', 'mobilephone', 'mobilenumber', 'workphone', 'workphonenumber', 'telephone'],
  company: ['companyname', 'company', 'organization', 'organisation', 'organizationname'],
  jobTitle: ['jobtitle', 'title', 'position'],
  city: ['city'],
  state: ['state', 'province', 'region'],
  country: ['country'],
  postalCode: ['postalcode', 'zipcode', 'zip', 'postcode'],
};

/** `Full Name`, `FULL_NAME`, `fullName` → `fullname`. */
export function canonicalFieldKey(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** Splits "Jane van Doe" into first "Jane" and last "van Doe"; one word is a first name only. */
function splitFullName(fullName: string): { firstName?: string; lastName?: string } {
  const parts = fullName.split(/\s+/).filter((part) => part !== '');
  const [first, ...rest] = parts;
  if (first === undefined) return {};
  return rest.length === 0 ? { firstName: first } : { firstName: first, lastName: rest.join(' ') };
}

export function mapLeadFields(fields: Readonly<Record<string, string>>): LeadContactProperties {
  const byKey = new Map<string, { name: string; value: string }>();
  for (const [name, raw] of Object.entries(fields)) {
    const value = typeof raw === 'string' ? raw.trim() : '';
    const key = canonicalFieldKey(name);
    if (value === '' || byKey.has(key)) continue;
    byKey.set(key, { name, value });
  }

  const used = new Set<string>();
  const properties: LeadContactProperties = { otherAnswers: {} };
  for (const property of Object.keys(FIELD_KEYS) as MappedProperty[]) {
    for (const key of FIELD_KEYS[property]) {
      const answer = byKey.get(key);
      if (answer === undefined) continue;
      // An answer in an email field that is not an email is kept as a custom answer, not dropped.
      const value = property === 'email' ? normaliseEmail(answer.value) : answer.value;
      if (value === null) continue;
      properties[property] = value;
      used.add(key);
      break;
    }
  }

  if (properties.fullName !== undefined && properties.firstName === undefined && properties.lastName === undefined) {
    Object.assign(properties, splitFullName(properties.fullName));
  } else if (properties.fullName === undefined && (properties.firstName !== undefined || properties.lastName !== undefined)) {
    properties.fullName = [properties.firstName, properties.lastName].filter((part) => part !== undefined).join(' ');
  }

  for (const [key, answer] of byKey) if (!used.has(key)) properties.otherAnswers[answer.name] = answer.value;
  return properties;
}
