/**
 * The API's answers as the server documents them (generated into ./openapi.ts): pages take their
 * types from here, so a changed route shows up as a type error instead of a drifted copy.
 */
import type { components, paths } from './openapi';

export type Schemas = components['schemas'];

/** The JSON body of a successful answer (200 or 201) of `method path`. */
export type ResponseOf<
  P extends keyof paths,
  M extends 'get' | 'post' | 'put' | 'patch' | 'delete',
> = paths[P][M] extends { responses: infer R }
  ? R extends { 200: { content: { 'application/json': infer B } } }
    ? B
    : R extends { 201: { content: { 'application/json': infer B } } }
      ? B
      : never
  : never;

export type Run = Schemas['PaymentRun'];
export type RunIdentity = Schemas['RunIdentity'];
export type RunDetail = ResponseOf<'/api/runs/{runId}', 'get'>;
export type StatementLine = Schemas['StatementLine'];
export type StatementContract = NonNullable<Schemas['StatementContract']>;
export type UnitStatement = Schemas['UnitStatement'];
export type UnpaidUnit = Schemas['UnpaidUnit'];
export type Unit = Schemas['Unit'];
export type RulebookVersion = Schemas['RulebookVersion'];
export type ImportBatch = Schemas['ImportBatch'];
export type Overview = Schemas['UiOverview'];
export type MonthPoint = Overview['months'][number];

/** Procurement: procedures (LOV and NSS), applications and tenders, and the NSS award. */
export type Procedure = Schemas['Procedure'];
export type Requirement = Schemas['Requirement'];
export type Application = Schemas['Application'];
export type ApplicationDetail = ResponseOf<'/api/applications/{id}', 'get'>;
export type Evaluation = Schemas['Evaluation'];
export type Standstill = Schemas['Standstill'];
export type TenderView = Schemas['TenderView'];
export type ProcurementWarning = Schemas['ProcurementWarning'];

/** A contract's page: its term, the group's members, units and reported branches. */
export type ContractDetails = Schemas['ContractDetails'];
export type ContractMember = Schemas['ContractMember'];
export type BranchReport = Schemas['BranchReport'];
export type LeavePreview = Schemas['LeavePreview'];
