import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export interface DevSecrets {
  adminToken: string;
  /** `ENCRYPTION_KEYS` value: "keyId:base64". */
  encryptionKeys: string;
}

/** In development the admin token and the encryption key are generated once into the data folder. */
export function loadOrCreateDevSecrets(dataDir: string): DevSecrets {
  const file = path.join(dataDir, 'dev-secrets.json');
  if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8')) as DevSecrets;
  const secrets: DevSecrets = {
    adminToken: randomBytes(24).toString('base64url'),
    encryptionKeys: `dev-${new Date().toISOString().slice(0, 10)}:${randomBytes(32).toString('base64')}`,
  };
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}
