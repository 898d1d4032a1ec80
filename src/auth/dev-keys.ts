/**
 * The `portcullis-dev` issuer's RSA key pair, made on first use and never committed (`.keys/`
 * is git-ignored). policies/issuers.yaml points at the public half; dev tokens are signed with
 * the private half. Development and tests only.
 *
 * Safe when several processes (Jest workers, the server and the token CLI) start at once: the
 * private key appears atomically and only once, and the public key is always derived from
 * whichever private key won, so the pair can never mismatch.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { DEV_KEYS_DIR } from '../config';

export interface DevKeyPaths {
  privateKeyPath: string;
  publicKeyPath: string;
}

const DEV_PRIVATE_KEY_FILE = 'dev-issuer.pem';
const DEV_PUBLIC_KEY_FILE = 'dev-issuer.pub.pem';

/** Creates `<dir>/dev-issuer.pem` (0600) and `<dir>/dev-issuer.pub.pem` if missing; returns both paths. */
export function ensureDevKeys(dir = DEV_KEYS_DIR): DevKeyPaths {
  const privateKeyPath = path.join(dir, DEV_PRIVATE_KEY_FILE);
  const publicKeyPath = path.join(dir, DEV_PUBLIC_KEY_FILE);
  if (fs.existsSync(privateKeyPath) && fs.existsSync(publicKeyPath)) return { privateKeyPath, publicKeyPath };

  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (!fs.existsSync(privateKeyPath)) createPrivateKeyOnce(privateKeyPath);
  if (!fs.existsSync(publicKeyPath)) {
    const publicPem = crypto.createPublicKey(fs.readFileSync(privateKeyPath)).export({ type: 'spki', format: 'pem' });
    writeAtomically(publicKeyPath, publicPem, 0o644);
  }
  return { privateKeyPath, publicKeyPath };
}

/** Writes a complete key to a temporary file, then hard-links it into place: link fails if another process won. */
function createPrivateKeyOnce(target: string): void {
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' });
  const tmp = tempPathFor(target);
  fs.writeFileSync(tmp, pem, { mode: 0o600, flag: 'wx' });
  try {
    fs.linkSync(tmp, target);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

/** Rename is atomic, so readers never see a half-written file. */
function writeAtomically(target: string, content: string | Buffer, mode: number): void {
  const tmp = tempPathFor(target);
  fs.writeFileSync(tmp, content, { mode, flag: 'wx' });
  try {
    fs.renameSync(tmp, target);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

function tempPathFor(target: string): string {
  return `${target}.${process.pid}.${crypto.randomBytes(6).toString('hex')}.tmp`;
}
