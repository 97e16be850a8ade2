import { createHash } from 'node:crypto';

/**
 * The audit log keeps who read a person, not the number in clear: a keyed hash of the normalized
 * 12-digit number identifies the person in a log extract.
 */
export function personDigest(normalized: string): string {
  return createHash('sha256').update(`vardval:${normalized}`).digest('hex').slice(0, 16);
}
