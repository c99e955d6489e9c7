import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  HASHING_VECTORS,
  hashField,
  hashNormalised,
  isSha256Hex,
  normaliseCity,
  normaliseCountry,
  normaliseDateOfBirth,
  normaliseEmail,
  normaliseExternalId,
  normaliseField,
  normaliseGender,
  normaliseName,
  normalisePhone,
  normalisePhoneDigits,
  normaliseState,
  normaliseZip,
  sha256Hex,
} from '../../src/domain/conversions';

const sha = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

describe('CONV-9 documented examples of the references', () => {
  for (const v of HASHING_VECTORS) {
    it(`CONV-9 ${v.source}: ${JSON.stringify(v.input)} → ${JSON.stringify(v.normalised)}`, () => {
      expect(normaliseField(v.network, v.field, v.input, v.options)).toBe(v.normalised);
      const hashed = hashField(v.network, v.field, v.input, v.options);
      expect(hashed).toBe(sha(v.normalised));
      if (v.sha256) expect(hashed).toBe(v.sha256);
    });
  }

  it('CONV-9 facebook §8.3 publishes four digests and all four are in the vectors', () => {
    expect(HASHING_VECTORS.filter((v) => v.sha256).map((v) => v.sha256)).toEqual([
      '62a14e44f765419d10fea99367361a727c12365e2520f32218d505ed9aa0f62f',
      'e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176',
      '6915771be1c5aa0c886870b6951b03d7eafc121fea0e80a5ea83beb7c449f4ec',
      '79adb2a2fce5c6ba215fe5f27f532d4e7edbac4b6a5e09e1ef3a08084a904621',
    ]);
  });

  it('CONV-9 sha256Hex is lowercase hex SHA-256 of the UTF-8 bytes', () => {
    expect(sha256Hex('valéry')).toBe(sha('valéry'));
    expect(sha256Hex('mary')).toMatch(/^[a-f0-9]{64}$/);
  });
});

describe('CONV-9 email', () => {
  it('CONV-9 email normalised: "  John.Doe@Example.COM " → sha256("john.doe@example.com") on every network', () => {
    for (const network of ['facebook', 'google', 'linkedin'] as const) {
      expect(hashField(network, 'email', '  John.Doe@Example.COM ')).toBe(sha('john.doe@example.com'));
    }
  });

  it('CONV-9 google §4.3: gmail.com and googlemail.com drop the dots before "@"', () => {
    expect(normaliseEmail('J.a.n.e.Doe@googlemail.com', 'google')).toBe('janedoe@googlemail.com');
    expect(normaliseEmail('jane.doe@example.com', 'google')).toBe('jane.doe@example.com');
  });

  it('CONV-9 google §4.3 documents no "+suffix" rule: plus addressing is kept', () => {
    expect(normaliseEmail('jane.doe+ads@gmail.com', 'google')).toBe('janedoe+ads@gmail.com');
  });

  it('CONV-9 facebook and linkedin keep gmail dots (only Google documents that rule)', () => {
    expect(normaliseEmail('Jane.Doe@Gmail.com', 'facebook')).toBe('jane.doe@gmail.com');
    expect(normaliseEmail('Jane.Doe@Gmail.com', 'linkedin')).toBe('jane.doe@gmail.com');
  });

  it('CONV-9 an address without "@" or domain is not sent', () => {
    expect(normaliseEmail('not-an-email', 'facebook')).toBeUndefined();
    expect(normaliseEmail('a@b', 'facebook')).toBeUndefined();
    expect(hashField('facebook', 'email', '   ')).toBeUndefined();
    expect(hashField('facebook', 'email', undefined)).toBeUndefined();
  });
});

describe('CONV-9 phone', () => {
  it('CONV-9 facebook §8.3: "(650)555-1212" US → "16505551212"', () => {
    expect(normalisePhone('(650)555-1212', 'facebook', '1')).toBe('16505551212');
  });

  it('CONV-9 phone: "+1 650-555-1212" and "001 650 555 1212" carry their own country code', () => {
    expect(normalisePhoneDigits('+1 650-555-1212')).toBe('16505551212');
    expect(normalisePhoneDigits('001 650 555 1212', '44')).toBe('16505551212');
  });

  it('CONV-9 phone: a national number with trunk 0 gets the default calling code, leading zeros dropped', () => {
    expect(normalisePhoneDigits('020 7946 0958', '44')).toBe('442079460958');
    expect(normalisePhoneDigits('020 7946 0958')).toBe('2079460958');
  });

  it('CONV-9 phone: 11 digits without "+" already carry the country code', () => {
    expect(normalisePhoneDigits('16505551212', '1')).toBe('16505551212');
  });

  it('CONV-9 phone: letters and symbols are dropped', () => {
    expect(normalisePhoneDigits('tel. 44-20-7946.0958')).toBe('442079460958');
  });

  it('CONV-9 phone: "+44 (0)20 7946 0958" drops the bracketed trunk zero', () => {
    expect(normalisePhoneDigits('+44 (0)20 7946 0958')).toBe('442079460958');
  });

  it('CONV-9 phone: fewer than 7 or more than 15 digits is not a phone number', () => {
    expect(normalisePhoneDigits('12345')).toBeUndefined();
    expect(normalisePhoneDigits('+1234567890123456')).toBeUndefined();
  });

  it('CONV-9 google §4.3: phone in E.164 "+14155552671"', () => {
    expect(normalisePhone('(415) 555-2671', 'google', '1')).toBe('+14155552671');
    expect(hashField('google', 'phone', '+1 415 555 2671')).toBe(sha('+14155552671'));
  });

  it('CONV-9 the same phone hashes differently for Facebook (digits) and Google (E.164)', () => {
    expect(hashField('facebook', 'phone', '+1 415 555 2671')).toBe(sha('14155552671'));
    expect(hashField('facebook', 'phone', '+1 415 555 2671')).not.toBe(hashField('google', 'phone', '+1 415 555 2671'));
  });
});

describe('CONV-9 names and address (facebook §8.3)', () => {
  it('CONV-9 names: lowercase, no punctuation, UTF-8 kept', () => {
    expect(normaliseName("  O'Brien ")).toBe('obrien');
    expect(normaliseName('Jean-Luc')).toBe('jeanluc');
    expect(normaliseName('Valéry')).toBe('valéry');
    expect(normaliseName('Mary  Ann')).toBe('mary ann');
    expect(normaliseName('...')).toBeUndefined();
  });

  it('CONV-9 names: composed and decomposed "é" hash the same', () => {
    expect(hashField('facebook', 'firstName', 'Vale\u0301ry')).toBe(hashField('facebook', 'firstName', 'Val\u00e9ry'));
  });

  it('CONV-9 city: "New York" → "newyork", "St. Louis" → "stlouis"', () => {
    expect(normaliseCity('New York')).toBe('newyork');
    expect(normaliseCity('St. Louis')).toBe('stlouis');
    expect(normaliseCity('São Paulo')).toBe('sãopaulo');
  });

  it('CONV-9 state: US 2-letter code lowercase, state names mapped', () => {
    expect(normaliseState('CA', 'US')).toBe('ca');
    expect(normaliseState('California', 'us')).toBe('ca');
    expect(normaliseState('New York', undefined)).toBe('ny');
    expect(normaliseState('Nowhere Land', 'us')).toBeUndefined();
  });

  it('CONV-9 state outside the US: lowercase, no punctuation or spaces', () => {
    expect(normaliseState('Île-de-France', 'fr')).toBe('îledefrance');
  });

  it('CONV-9 zip: US first 5 digits; UK "M1 1AE" → "m11ae"; no dash elsewhere', () => {
    expect(normaliseZip('94025-1234', 'us')).toBe('94025');
    expect(normaliseZip('94025 1234')).toBe('94025');
    expect(normaliseZip('M1 1AE', 'gb')).toBe('m11ae');
    expect(normaliseZip('00-950', 'pl')).toBe('00950');
    expect(normaliseZip('1234', 'us')).toBeUndefined();
  });

  it('CONV-9 country: ISO 3166-1 alpha-2 lowercase; anything else dropped', () => {
    expect(normaliseCountry('US')).toBe('us');
    expect(normaliseCountry(' gb ')).toBe('gb');
    expect(normaliseCountry('U.S.')).toBe('us');
    expect(normaliseCountry('United States')).toBeUndefined();
    expect(normaliseCountry('uk')).toBeUndefined();
  });

  it('CONV-9 gender "f"/"m"; date of birth YYYYMMDD', () => {
    expect(normaliseGender('M')).toBe('m');
    expect(normaliseGender('female')).toBe('f');
    expect(normaliseGender('x')).toBeUndefined();
    expect(normaliseDateOfBirth('1990-2-7')).toBe('19900207');
    expect(normaliseDateOfBirth('1990/02/07')).toBe('19900207');
    expect(normaliseDateOfBirth('19900207')).toBe('19900207');
    expect(normaliseDateOfBirth('1990-02-07T00:00:00Z')).toBe('19900207');
    expect(normaliseDateOfBirth('1990-02-30')).toBeUndefined();
    expect(normaliseDateOfBirth('07/02/1990')).toBeUndefined();
  });

  it('CONV-9 external_id: trimmed and lowercased like the SDKs, then hashed', () => {
    expect(normaliseExternalId('  CRM-42 ')).toBe('crm-42');
    expect(hashField('facebook', 'externalId', 'CRM-42')).toBe(sha('crm-42'));
  });
});

describe('CONV-9 no double hashing', () => {
  const digest = sha('john_smith@gmail.com');

  it('CONV-9 an already hashed 64-hex value passes through unchanged for every field and network', () => {
    for (const network of ['facebook', 'google', 'linkedin'] as const) {
      expect(hashField(network, 'email', digest)).toBe(digest);
      expect(hashField(network, 'phone', digest)).toBe(digest);
    }
    expect(hashField('facebook', 'zip', digest)).toBe(digest);
  });

  it('CONV-9 an upper-case digest is recognised and lowercased, not hashed again', () => {
    expect(hashField('facebook', 'email', ` ${digest.toUpperCase()} `)).toBe(digest);
    expect(hashNormalised(digest)).toBe(digest);
  });

  it('CONV-9 isSha256Hex accepts exactly 64 hex characters', () => {
    expect(isSha256Hex(digest)).toBe(true);
    expect(isSha256Hex(digest.slice(1))).toBe(false);
    expect(isSha256Hex(`${digest.slice(1)}g`)).toBe(false);
  });
});

describe('workflow safety', () => {
  it('OPS-3 nothing reachable from workflow-safe.ts imports node:crypto (workflows cannot load it)', () => {
    const root = resolve(__dirname, '../../src/domain/conversions/workflow-safe.ts');
    const seen = new Set<string>();
    const offenders: string[] = [];
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(file, 'utf8');
      if (/from ['"](node:)?crypto['"]/.test(text)) offenders.push(file);
      for (const [, spec] of text.matchAll(/from ['"](\.[^'"]+)['"]/g)) {
        if (spec) visit(join(dirname(file), `${spec}.ts`));
      }
    };
    visit(root);
    expect(seen.size).toBeGreaterThan(10);
    expect(offenders).toEqual([]);
  });
});
