import { z } from '@hono/zod-openapi';
import { CONNECTION_FORMS, type ConnectionForm } from '../../../core/contracts/contracts.js';
import type { ContractRow } from '../../store/contract-registry.js';
import type { SubcontractorRow } from '../../store/subcontractors.js';
import { day } from '../routes/common.js';

/** Contracts and subcontractors as the API answers them: the registry's routes, the unit page and NSS. */

export const Contract = z
  .object({
    id: z.number(),
    provider_id: z.string(),
    unit_id: z.string().nullable(),
    connection_form: z.enum(CONNECTION_FORMS),
    rulebook_id: z.string().nullable(),
    start_date: day,
    end_date: day.nullable(),
  })
  .openapi('Contract');

export const Subcontractor = z
  .object({
    id: z.number(),
    provider_id: z.string(),
    unit_id: z.string(),
    org_nr: z.string(),
    name: z.string(),
    services: z.string(),
    status: z.enum(['reported', 'approved', 'refused']),
    reported_at: day,
    decided_at: day.nullable(),
    reason: z.string().nullable(),
  })
  .openapi('Subcontractor');

export const contractJson = (r: ContractRow) => ({
  id: r.id,
  provider_id: r.providerId,
  unit_id: r.unitId,
  connection_form: r.connectionForm as ConnectionForm,
  rulebook_id: r.rulebookId,
  start_date: r.startDate,
  end_date: r.endDate,
});
export const subJson = (r: SubcontractorRow) => ({
  id: r.id,
  provider_id: r.providerId,
  unit_id: r.unitId,
  org_nr: r.orgNr,
  name: r.name,
  services: r.services,
  status: r.status as 'reported' | 'approved' | 'refused',
  reported_at: r.reportedAt,
  decided_at: r.decidedAt,
  reason: r.reason,
});
