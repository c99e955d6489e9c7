/**
 * The networks' own documented normalisation and hashing examples, verbatim from the references.
 * Tests (and anyone wiring a new network client) check the implementation against these.
 */
import type { Network } from '../../networks/types';
import type { HashedField, NormaliseOptions } from './normalise';

export interface HashingVector {
  network: Network;
  field: HashedField;
  input: string;
  options?: NormaliseOptions;
  normalised: string;
  /** Present where the reference publishes the digest itself. */
  sha256?: string;
  source: string;
}

export const HASHING_VECTORS: readonly HashingVector[] = [
  {
    network: 'facebook',
    field: 'email',
    input: 'John_Smith@gmail.com',
    normalised: 'john_smith@gmail.com',
    sha256: '62a14e44f765419d10fea99367361a727c12365e2520f32218d505ed9aa0f62f',
    source: 'facebook §8.3 em',
  },
  {
    network: 'facebook',
    field: 'phone',
    input: '(650)555-1212',
    options: { defaultCallingCode: '1' },
    normalised: '16505551212',
    sha256: 'e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176',
    source: 'facebook §8.3 ph',
  },
  {
    network: 'facebook',
    field: 'firstName',
    input: 'Mary',
    normalised: 'mary',
    sha256: '6915771be1c5aa0c886870b6951b03d7eafc121fea0e80a5ea83beb7c449f4ec',
    source: 'facebook §8.3 fn',
  },
  { network: 'facebook', field: 'firstName', input: 'Valéry', normalised: 'valéry', source: 'facebook §8.3 fn (UTF-8)' },
  { network: 'facebook', field: 'city', input: 'New York', normalised: 'newyork', source: 'facebook §8.3 ct' },
  { network: 'facebook', field: 'state', input: 'CA', options: { country: 'us' }, normalised: 'ca', source: 'facebook §8.3 st' },
  { network: 'facebook', field: 'zip', input: '94025-1234', options: { country: 'us' }, normalised: '94025', source: 'facebook §8.3 zp (US 5 digits)' },
  { network: 'facebook', field: 'zip', input: 'M1 1AE', options: { country: 'gb' }, normalised: 'm11ae', source: 'facebook §8.3 zp (UK)' },
  {
    network: 'facebook',
    field: 'country',
    input: 'US',
    normalised: 'us',
    sha256: '79adb2a2fce5c6ba215fe5f27f532d4e7edbac4b6a5e09e1ef3a08084a904621',
    source: 'facebook §8.3 country',
  },
  { network: 'facebook', field: 'gender', input: 'Female', normalised: 'f', source: 'facebook §8.3 ge' },
  { network: 'facebook', field: 'dateOfBirth', input: '1990-02-07', normalised: '19900207', source: 'facebook §8.3 db' },
  { network: 'google', field: 'email', input: 'Jane.Doe@Gmail.com', normalised: 'janedoe@gmail.com', source: 'google §4.3 email' },
  { network: 'google', field: 'phone', input: '+1 (415) 555-2671', normalised: '+14155552671', source: 'google §4.3 phone E.164' },
  { network: 'linkedin', field: 'email', input: '  Jane.Doe@Example.COM ', normalised: 'jane.doe@example.com', source: 'linkedin §4.2 email' },
];
