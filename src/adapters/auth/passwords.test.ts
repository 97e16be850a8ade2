import { describe, expect, it } from 'vitest';
import {
  hashPassword,
  MIN_PASSWORD_LENGTH,
  isCommonPassword,
  PasswordError,
  verifyPassword,
} from './passwords.js';

describe('passwords', () => {
  it('hashes with scrypt N=16384 r=8 p=1, a 16-byte salt and a 64-byte key', async () => {
    const stored = await hashPassword('korrekt-häst-batteri');
    const [scheme, n, r, p, salt = '', hash = ''] = stored.split('$');
    expect([scheme, n, r, p]).toEqual(['scrypt', '16384', '8', '1']);
    expect(Buffer.from(salt, 'base64')).toHaveLength(16);
    expect(Buffer.from(hash, 'base64')).toHaveLength(64);
  });

  it('verifies the right password and refuses a wrong one', async () => {
    const stored = await hashPassword('korrekt-häst-batteri');
    expect(await verifyPassword('korrekt-häst-batteri', stored)).toBe(true);
    expect(await verifyPassword('korrekt-hast-batteri', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
  });

  it('salts every hash', async () => {
    const a = await hashPassword('samma-lösenord');
    const b = await hashPassword('samma-lösenord');
    expect(a).not.toBe(b);
    expect(await verifyPassword('samma-lösenord', b)).toBe(true);
  });

  it('refuses passwords shorter than 12 characters with a Swedish message (ASVS level 2)', async () => {
    expect(MIN_PASSWORD_LENGTH).toBe(12);
    await expect(hashPassword('kort')).rejects.toBeInstanceOf(PasswordError);
    await expect(hashPassword('kort-lösen8')).rejects.toThrow('Lösenordet måste vara minst 12 tecken långt');
    await expect(hashPassword('tolv-tecken!')).resolves.toMatch(/^scrypt\$/);
  });

  it('refuses common passwords, also with digits and signs added', async () => {
    for (const common of ['qwerty123456', '123qweasdzxc', 'password2025!', 'Sommar2025!!', 'aaaaaaaaaaaa'])
      await expect(hashPassword(common), common).rejects.toThrow('vanligaste lösenorden');
    expect(isCommonPassword('korrekt-häst-batteri')).toBe(false);
  });

  it('returns false for a stored value it did not write', async () => {
    const stored = await hashPassword('korrekt-häst-batteri');
    for (const bad of [
      '',
      'plaintext',
      stored.replace('scrypt$', 'bcrypt$'),
      stored.replace('$16384$', '$1000$'),
      stored.replace('$16384$', '$1073741824$'),
      stored.split('$').slice(0, 5).join('$'),
      `${stored.split('$').slice(0, 5).join('$')}$AAAA`,
    ]) {
      expect(await verifyPassword('korrekt-häst-batteri', bad)).toBe(false);
    }
  });
});
