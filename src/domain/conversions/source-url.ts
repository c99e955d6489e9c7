/**
 * The page URL a website event names (`event_source_url`, CONV-9), without personal data: a thank-you
 * page's `?email=…`, a prefilled `&phone=…`, or a token in the fragment would otherwise reach the
 * network in clear (Meta flags and drops such events). Kept: scheme, host, path and every parameter
 * that neither names nor carries personal data — campaign parameters and click ids stay.
 */
const PERSONAL_KEYS = new Set([
  'email', 'emailaddress', 'mail', 'useremail', 'e',
  'phone', 'phonenumber', 'tel', 'telephone', 'mobile', 'cell',
  'name', 'fullname', 'firstname', 'lastname', 'fname', 'lname', 'givenname', 'familyname', 'surname',
  'address', 'street', 'streetaddress', 'city', 'zip', 'zipcode', 'postcode', 'postalcode',
  'dob', 'birthday', 'birthdate', 'dateofbirth', 'gender', 'ssn',
  'password', 'pass', 'pwd', 'token', 'accesstoken', 'idtoken', 'auth', 'authorization', 'session', 'sessionid', 'apikey', 'secret',
]);
const EMAIL_LIKE = /[^\s@]+@[^\s@]+\.[^\s@]+/;
/** A phone number as people write it: a leading + or separators, with 7 to 15 digits. Plain digit runs are ids. */
const PHONE_LIKE = /^\+?[\d\s().-]+$/;

function carriesPersonalData(key: string, value: string): boolean {
  if (PERSONAL_KEYS.has(key.toLowerCase().replace(/[^a-z]/g, ''))) return true;
  if (EMAIL_LIKE.test(value)) return true;
  const digits = value.replace(/\D/g, '').length;
  return PHONE_LIKE.test(value) && /[+\s().-]/.test(value) && digits >= 7 && digits <= 15;
}

export function sourceUrlWithoutPersonalData(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    // Not a URL we can read: the part before any query or fragment is all that is safe to send.
    return url.trim().split(/[?#]/)[0] ?? '';
  }
  parsed.hash = '';
  const kept = [...parsed.searchParams].filter(([key, value]) => !carriesPersonalData(key, value));
  parsed.search = new URLSearchParams(kept).toString();
  return parsed.toString();
}
