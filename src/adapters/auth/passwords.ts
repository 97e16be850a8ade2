import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { dictionary } from '@zxcvbn-ts/language-common';

/**
 * Passwords are stored as `scrypt$N$r$p$saltB64$hashB64`: Node's scrypt with a 16-byte random salt
 * and a 64-byte key. The parameters travel with the hash, so they can be raised later without
 * breaking the passwords already stored.
 */

/** ASVS 4.0 level 2 (V2.1.1): at least 12 characters, and no password that is known to be common. */
export const MIN_PASSWORD_LENGTH = 12;

/** The 49 000 most common passwords (zxcvbn-ts), plus the words a Swedish region's staff would try. */
let common: Set<string> | undefined;
const SWEDISH_COMMON = [
  'losenord',
  'lösenord',
  'sommar',
  'vinter',
  'hosten',
  'hösten',
  'varen',
  'våren',
  'vardval',
  'vårdval',
  'region',
  'hemligt',
  'välkommen',
  'valkommen',
];
function commonPasswords(): Set<string> {
  common ??= new Set([...(dictionary['passwords-common'] as string[]), ...SWEDISH_COMMON]);
  return common;
}

/** Whether a password is a common one, also with digits and signs added at the end ("sommar2025!"). */
export function isCommonPassword(plain: string): boolean {
  const lower = plain.normalize('NFC').toLowerCase();
  const stem = lower.replace(/[\d\W_]+$/u, '');
  const list = commonPasswords();
  return list.has(lower) || (stem.length >= 4 && list.has(stem)) || /^(.)\1*$/u.test(lower);
}

const N = 16384;
const R = 8;
const P = 1;
const SALT_BYTES = 16;
const KEY_BYTES = 64;

export class PasswordError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PasswordError';
  }
}

function derive(plain: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(plain.normalize('NFC'), salt, keylen, options, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

/** Throws PasswordError when the password is too short to be accepted. */
export function checkPasswordStrength(plain: string): void {
  if (typeof plain !== 'string' || [...plain].length < MIN_PASSWORD_LENGTH)
    throw new PasswordError(`Lösenordet måste vara minst ${MIN_PASSWORD_LENGTH} tecken långt`);
  if ([...plain].length > 200) throw new PasswordError('Lösenordet får vara högst 200 tecken långt');
  if (isCommonPassword(plain))
    throw new PasswordError(
      'Lösenordet är ett av de vanligaste lösenorden och går att gissa; välj ett annat',
    );
}

export async function hashPassword(plain: string): Promise<string> {
  checkPasswordStrength(plain);
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(plain, salt, KEY_BYTES, { N, r: R, p: P });
  return ['scrypt', N, R, P, salt.toString('base64'), key.toString('base64')].join('$');
}

/** False for a wrong password and for a stored value that is not a hash this module wrote. */
export async function verifyPassword(plain: string, stored: string): Promise<boolean> {
  if (typeof plain !== 'string' || typeof stored !== 'string') return false;
  const parts = stored.split('$');
  const [scheme, nText, rText, pText, saltText = '', hashText = ''] = parts;
  if (parts.length !== 6 || scheme !== 'scrypt') return false;
  const [n, r, p] = [Number(nText), Number(rText), Number(pText)];
  // Bounds keep a tampered hash from making verification allocate or spin without end.
  if (!Number.isInteger(n) || n < 2 || n > 1 << 20 || (n & (n - 1)) !== 0) return false;
  if (!Number.isInteger(r) || r < 1 || r > 32 || !Number.isInteger(p) || p < 1 || p > 16) return false;
  const salt = Buffer.from(saltText, 'base64');
  const expected = Buffer.from(hashText, 'base64');
  if (salt.length === 0 || expected.length < 16) return false;
  let actual: Buffer;
  try {
    actual = await derive(plain, salt, expected.length, { N: n, r, p, maxmem: 256 * n * r + 1024 * 1024 });
  } catch {
    return false;
  }
  return timingSafeEqual(actual, expected);
}
