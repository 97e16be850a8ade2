import { and, asc, eq } from 'drizzle-orm';
import { validateCriteria, type Criterion } from '../../../core/procurement/nss-evaluation.js';
import type { Requirement } from '../../../core/procurement/requirements.js';
import type { Db } from '../connection.js';
import * as t from '../schema.js';
import { audit, inTx, type Who } from './shared.js';
import { StoreError } from '../store-error.js';
import { returned } from '../returned.js';

/** LOV choice systems and NSS assignments: the notice, requirements, criteria and publication. */

export type ProcedureRow = typeof t.procedures.$inferSelect;

export interface Notice {
  authority_name: string;
  authority_org_nr: string;
  contact_email: string;
  documents_url: string;
  /** CPV code of the services, e.g. 85121100-4 (allmänläkartjänster). */
  cpv: string;
  open_from: string;
  /** LOV: null, applications are taken continuously; NSS: the last day for tenders. */
  open_until: string | null;
}

export interface ProcedureInput {
  kind: 'lov' | 'nss';
  title: string;
  description: string;
  rulebookId?: string | null;
  field?: string | null;
  volume?: string | null;
  location?: string | null;
  places?: number;
  requirements: Requirement[];
  criteria: Criterion[];
  notice: Notice;
}

export async function getProcedure(db: Db, id: number): Promise<ProcedureRow> {
  const [row] = await db.select().from(t.procedures).where(eq(t.procedures.id, id));
  if (!row) throw new StoreError('not_found', `Förfarande ${id} finns inte`);
  return row;
}

export async function listProcedures(db: Db): Promise<ProcedureRow[]> {
  return db.select().from(t.procedures).orderBy(asc(t.procedures.id));
}

export async function createProcedure(db: Db, input: ProcedureInput, who: Who): Promise<ProcedureRow> {
  const ids = new Set<string>();
  input.requirements.forEach((r, i) => {
    if (ids.has(r.id))
      throw new StoreError('invalid', `Kravet ${r.id} finns två gånger`, `/requirements/${i}/id`);
    ids.add(r.id);
  });
  if (input.kind === 'nss') {
    for (const f of ['field', 'volume', 'location'] as const)
      if (!input[f]?.trim())
        throw new StoreError(
          'invalid',
          'Ett NSS-uppdrag anger verksamhetsområde, omfattning och plats (kommun eller område)',
          `/${f}`,
        );
    const errors = validateCriteria(input.criteria);
    const [first] = errors;
    if (first) throw new StoreError('invalid', first.message, `/criteria${first.pointer}`);
  } else if (input.criteria.length > 0) {
    throw new StoreError(
      'invalid',
      'I ett valfrihetssystem (LOV) godkänns alla som uppfyller kraven; det finns inga tilldelningskriterier',
      '/criteria',
    );
  }
  if (input.rulebookId) {
    // A choice system opens from a published rulebook (förfrågningsunderlag), never from a draft.
    const [published] = await db
      .select({ id: t.rulebookVersions.id })
      .from(t.rulebookVersions)
      .where(
        and(eq(t.rulebookVersions.rulebookId, input.rulebookId), eq(t.rulebookVersions.status, 'published')),
      )
      .limit(1);
    if (!published)
      throw new StoreError(
        'invalid',
        `Regelboken ${input.rulebookId} finns inte som publicerad version; publicera förfrågningsunderlaget först`,
        '/rulebook_id',
      );
  }
  return inTx(db, async (tx) => {
    const row = await tx
      .insert(t.procedures)
      .values({
        kind: input.kind,
        title: input.title,
        description: input.description,
        rulebookId: input.rulebookId ?? null,
        field: input.field ?? null,
        volume: input.volume ?? null,
        location: input.location ?? null,
        places: input.places ?? 1,
        requirements: input.requirements,
        criteria: input.criteria,
        notice: input.notice,
        status: 'draft',
        createdBy: who.actor,
      })
      .returning()
      .then(returned);
    await audit(tx, who, 'procedure.create', `procedure:${row.id}`, { kind: row.kind });
    return row;
  });
}

export async function publishProcedure(db: Db, id: number, publishedAt: string, who: Who) {
  return inTx(db, async (tx) => {
    const rows = await tx
      .update(t.procedures)
      .set({ status: 'published', publishedAt })
      .where(and(eq(t.procedures.id, id), eq(t.procedures.status, 'draft')))
      .returning();
    if (!rows[0]) {
      await getProcedure(tx, id);
      throw new StoreError('conflict', 'Förfarandet är redan publicerat');
    }
    await audit(tx, who, 'procedure.publish', `procedure:${id}`, { publishedAt });
    return rows[0];
  });
}
