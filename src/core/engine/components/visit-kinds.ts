import { CONTACTS, PROFESSIONS, type Contact, type Counted, type Profession } from '../../rulebook/schema.js';
import { CONTACT_SV, PROFESSION_SV } from '../../labels.js';

/** Visits by kind: a profession × contact kind is an index into tables of KINDS entries. */
export const KINDS = PROFESSIONS.length * CONTACTS.length;
export const kindOf = (profession: number, contact: number): number => profession * CONTACTS.length + contact;

/** Every profession × contact kind with its index in the kinds' tables, in index order. */
export function forEachKind(visit: (profession: Profession, contact: Contact, kind: number) => void): void {
  PROFESSIONS.forEach((p, pi) => CONTACTS.forEach((c, ci) => visit(p, c, kindOf(pi, ci))));
}

/** Which profession × contact kinds count, as a lookup table. */
export function countedKinds(counted: Counted | undefined): Uint8Array {
  const table = new Uint8Array(KINDS);
  forEachKind((p, c, k) => {
    const okP = !counted?.professions || counted.professions.includes(p);
    const okC = !counted?.contacts || counted.contacts.includes(c);
    table[k] = okP && okC ? 1 : 0;
  });
  return table;
}

export function describeCounted(counted: Counted | undefined): string {
  const p = counted?.professions ? counted.professions.map((x) => PROFESSION_SV[x]).join(', ') : 'alla yrken';
  const c = counted?.contacts ? counted.contacts.map((x) => CONTACT_SV[x]).join(', ') : 'alla kontaktsätt';
  return `${p}; ${c}`;
}
