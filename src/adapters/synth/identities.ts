import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { luhnCheckDigit } from '../../core/identity.js';
import { DAY_MS, dayOf } from './period.js';

/**
 * Identity numbers come only from Skatteverket's published test numbers (a random valid number may
 * belong to a real person).
 */

export interface Identity {
  id: string;
  birth: number;
  sex: 'F' | 'M';
}

/** Reads a Skatteverket test-number file: valid, distinct 12-digit numbers in file order. */
function loadIdentities(file: string, samordning: boolean): Identity[] {
  if (!existsSync(file)) throw new Error(`synthesize: identity file not found: ${file}`);
  const seen = new Set<string>();
  const out: Identity[] = [];
  for (const raw of readFileSync(file, 'utf8').split(/\r?\n/)) {
    const id = raw.trim();
    if (!/^\d{12}$/.test(id) || seen.has(id)) continue;
    const y = Number(id.slice(0, 4));
    const m = Number(id.slice(4, 6));
    const d = Number(id.slice(6, 8)) - (samordning ? 60 : 0);
    const date = new Date(Date.UTC(y, m - 1, d));
    if (d < 1 || date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d)
      continue;
    if (luhnCheckDigit(id.slice(2, 11)) !== Number(id[11])) continue;
    seen.add(id);
    out.push({ id, birth: dayOf(y, m, d), sex: Number(id[10]) % 2 === 1 ? 'M' : 'F' });
  }
  return out;
}

/** Test numbers by birth year, each handed out once, in file order within its year. */
export class IdentityPool {
  private readonly byYear = new Map<number, Identity[]>();
  private readonly used = new Map<number, number>();
  constructor(identities: Identity[]) {
    for (const identity of identities) {
      const year = new Date(identity.birth * DAY_MS).getUTCFullYear();
      const list = this.byYear.get(year);
      if (list) list.push(identity);
      else this.byYear.set(year, [identity]);
    }
  }
  /** The next unused number born in `year`, before the day `bornBefore`; undefined when none is left. */
  take(year: number, bornBefore: number): Identity | undefined {
    const list = this.byYear.get(year);
    if (!list) return undefined;
    let i = this.used.get(year) ?? 0;
    while (i < list.length && list[i]!.birth >= bornBefore) i++;
    this.used.set(year, i + 1);
    return list[i];
  }
}

/** The personnummer and samordningsnummer pools of the folder holding Skatteverket's files. */
export function identityPools(dir: string): { pnr: IdentityPool; snr: IdentityPool } {
  return {
    pnr: new IdentityPool(loadIdentities(join(dir, 'skatteverket-testpersonnummer.csv'), false)),
    snr: new IdentityPool(loadIdentities(join(dir, 'skatteverket-testsamordningsnummer.csv'), true)),
  };
}
