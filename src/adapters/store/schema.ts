import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  customType,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  smallint,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

/**
 * The region's system of record. Imported data rows belong to an import batch (what the region
 * handed us, with file hashes); a payment run names the batch and rulebook version it was computed
 * from, so any approved statement can be recomputed and explained later.
 */

const money = (name: string) => bigint(name, { mode: 'number' });

export const users = pgTable('app_user', {
  id: serial('id').primaryKey(),
  username: text('username').notNull().unique(),
  passwordHash: text('password_hash').notNull(),
  role: text('role').notNull(),
  providerId: text('provider_id'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  /** The approver right (attesträtt) the admin gives a person: may approve payment runs. */
  approver: boolean('approver').notNull().default(false),
  /** Set by an admin: the account can no longer log in, and its sessions end. */
  disabledAt: timestamp('disabled_at', { withTimezone: true }),
});

export const sessions = pgTable('session', {
  tokenHash: text('token_hash').primaryKey(),
  userId: integer('user_id')
    .notNull()
    .references(() => users.id),
  csrfToken: text('csrf_token').notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Append-only: the store never updates or deletes a row here (a trigger refuses it). */
export const auditLog = pgTable('audit_log', {
  id: serial('id').primaryKey(),
  at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  actor: text('actor'),
  role: text('role'),
  action: text('action').notNull(),
  target: text('target'),
  origin: text('origin'),
  detail: jsonb('detail'),
});

export const importBatches = pgTable('import_batch', {
  id: serial('id').primaryKey(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  createdBy: text('created_by'),
  label: text('label'),
  files: jsonb('files').notNull(),
  counts: jsonb('counts').notNull(),
  /**
   * The listing rows, then the visit rows, written so far while they are written after the import
   * (batch-rows.ts); null once they all are, and for a batch whose rows went in with the import
   * itself (before version 0.4.6 the listing rows always did).
   */
  listingRowsWritten: integer('listing_rows_written'),
  visitRowsWritten: integer('visit_rows_written'),
});

export const providers = pgTable('provider', {
  id: text('id').primaryKey(), // organisationsnummer
  name: text('name'),
});

export const units = pgTable(
  'unit',
  {
    batchId: integer('batch_id')
      .notNull()
      .references(() => importBatches.id),
    row: integer('row').notNull(),
    unitId: text('unit_id').notNull(),
    providerId: text('provider_id').notNull(),
    name: text('name').notNull(),
    ownership: text('ownership').notNull(),
    kommun: text('kommun'),
    /** The area (DeSO) the unit lies in; differentiated systems can be scoped by area and area class. */
    area: text('area'),
    /** Services the unit provides, separated by | (vardcentral|bvc); narrow systems pay by service. */
    services: text('services'),
    startDate: date('start_date').notNull(),
    endDate: date('end_date'),
    branchOf: text('branch_of'),
    extra: jsonb('extra').notNull(),
    line: integer('line').notNull(),
  },
  (t) => [uniqueIndex('unit_batch_unit').on(t.batchId, t.unitId)],
);

export const areas = pgTable(
  'area',
  {
    batchId: integer('batch_id')
      .notNull()
      .references(() => importBatches.id),
    row: integer('row').notNull(),
    area: text('area').notNull(),
    kommun: text('kommun'),
    cni: doublePrecision('cni'),
    ruralClass: text('rural_class'),
    hospitalKm: doublePrecision('hospital_km'),
    line: integer('line').notNull(),
  },
  (t) => [uniqueIndex('area_batch_area').on(t.batchId, t.area)],
);

/**
 * Dates as yyyymmdd integers, as the engine reads them; person ids in clear (officers only).
 * listing and visit hold millions of rows per batch and have no foreign key to import_batch: the
 * check per row was most of a bulk COPY's time, and only the import writes them, in the one
 * transaction that creates their batch row (batches are never deleted).
 */
export const listings = pgTable(
  'listing',
  {
    batchId: integer('batch_id').notNull(),
    row: integer('row').notNull(),
    personId: text('person_id').notNull(),
    unitId: text('unit_id').notNull(),
    doctorId: text('doctor_id'),
    birthDate: integer('birth_date').notNull(),
    sex: smallint('sex').notNull(),
    area: text('area').notNull(),
    listedFrom: integer('listed_from').notNull(),
    listedTo: integer('listed_to').notNull(),
    riskGroup: text('risk_group'),
    line: integer('line').notNull(),
  },
  // A batch's rows are appended in row order: a block range index costs the import almost nothing
  // (the B-tree took a third of a region's listing rows' writing on the embedded store).
  (t) => [index('listing_batch_row').using('brin', t.batchId, t.row), index('listing_person').on(t.personId)],
);

export const visits = pgTable(
  'visit',
  {
    batchId: integer('batch_id').notNull(),
    row: integer('row').notNull(),
    visitId: text('visit_id').notNull(),
    personId: text('person_id').notNull(),
    unitId: text('unit_id').notNull(),
    date: integer('date').notNull(),
    profession: smallint('profession').notNull(),
    contact: smallint('contact').notNull(),
    doctorId: text('doctor_id'),
    bookedDate: integer('booked_date'),
    /** Index into VISIT_TYPES (0 ordinary, 1 hälsosamtal); null when the file had no visit_type. */
    visitType: smallint('visit_type'),
    /** ICD-10 codes separated by | as written; '' for an empty cell, null when the file had no diagnoses. */
    diagnoses: text('diagnoses'),
    line: integer('line').notNull(),
  },
  // BRIN, not a btree: rows come in batch order, and the btree was a third of the store's work per row.
  (t) => [index('visit_batch').using('brin', t.batchId)],
);

export const indicators = pgTable('indicator', {
  batchId: integer('batch_id')
    .notNull()
    .references(() => importBatches.id),
  row: integer('row').notNull(),
  unitId: text('unit_id').notNull(),
  indicator: text('indicator').notNull(),
  periodFrom: integer('period_from').notNull(),
  periodTo: integer('period_to').notNull(),
  numerator: doublePrecision('numerator').notNull(),
  denominator: doublePrecision('denominator').notNull(),
  line: integer('line').notNull(),
});

export const events = pgTable('event', {
  batchId: integer('batch_id')
    .notNull()
    .references(() => importBatches.id),
  row: integer('row').notNull(),
  eventId: text('event_id').notNull(),
  unitId: text('unit_id').notNull(),
  eventType: text('event_type').notNull(),
  date: integer('date').notNull(),
  line: integer('line').notNull(),
});

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => 'bytea' });

/**
 * An import batch's columnar form (batch-cache.ts), beside its rows, keyed by the batch's content
 * hash: a run after a restart reads these few parts instead of the rows.
 */
export const batchColumns = pgTable(
  'batch_columns',
  {
    batchId: integer('batch_id')
      .notNull()
      .references(() => importBatches.id),
    part: integer('part').notNull(),
    contentHash: text('content_hash').notNull(),
    /** Stored uncompressed (STORAGE EXTERNAL, migration 0018): compressing 32 MB parts took seconds. */
    bytes: bytea('bytes').notNull(),
  },
  (t) => [primaryKey({ columns: [t.batchId, t.part] })],
);

/**
 * The person and visit id texts of a batch whose listing or visit rows are still being written
 * after its import (batch-rows.ts), in the form batch-texts.ts packs them: with the columnar form
 * they make the rest of the rows again after a restart. Deleted with the last of the rows.
 */
export const batchVisitIds = pgTable(
  'batch_visit_ids',
  {
    batchId: integer('batch_id')
      .notNull()
      .references(() => importBatches.id),
    part: integer('part').notNull(),
    bytes: bytea('bytes').notNull(),
  },
  (t) => [primaryKey({ columns: [t.batchId, t.part] })],
);

/** See rulebookVersions.overlay. */
export interface StoredOverlay {
  base_id: string;
  base_version: number;
  changes: { path: string; kind: 'changed' | 'added' | 'removed' }[];
  text: string;
}

export const rulebookVersions = pgTable(
  'rulebook_version',
  {
    id: serial('id').primaryKey(),
    rulebookId: text('rulebook_id').notNull(),
    version: integer('version').notNull(),
    status: text('status').notNull(), // draft | published
    sha256: text('sha256').notNull(),
    yaml: text('yaml').notNull(),
    title: text('title').notNull(),
    regionCode: text('region_code').notNull(),
    validFrom: date('valid_from').notNull(),
    validTo: date('valid_to').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    createdBy: text('created_by'),
    /** Who last changed the draft; with createdBy, the ones who may not publish it. */
    editedBy: text('edited_by'),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    publishedBy: text('published_by'),
    /**
     * A rulebook saved as an overlay (`base:`): yaml holds the resolved rulebook (so a published
     * version never changes when its base does), and this the overlay as written, its base version
     * and what it changed.
     */
    overlay: jsonb('overlay').$type<StoredOverlay>(),
  },
  (t) => [uniqueIndex('rulebook_version_unique').on(t.rulebookId, t.version)],
);

export const paymentRuns = pgTable(
  'payment_run',
  {
    id: serial('id').primaryKey(),
    month: text('month').notNull(),
    rulebookVersionId: integer('rulebook_version_id')
      .notNull()
      .references(() => rulebookVersions.id),
    rulebookId: text('rulebook_id').notNull(),
    batchId: integer('batch_id')
      .notNull()
      .references(() => importBatches.id),
    status: text('status').notNull(), // draft | approved | discarded
    correctsRunId: integer('corrects_run_id'),
    identity: jsonb('identity').notNull(),
    totalOre: money('total_ore').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    createdBy: text('created_by'),
    approvedAt: timestamp('approved_at', { withTimezone: true }),
    approvedBy: text('approved_by'),
    /** Paying by the registry's contracts: active units no contract in force pays, with the reason. */
    unpaidUnits: jsonb('unpaid_units'),
    approvalComment: text('approval_comment'),
    /** Why the month before has no run at all, written by the approver (months are approved in order). */
    missingMonthReason: text('missing_month_reason'),
  },
  // At most one approved run per rulebook and month: the database, not the app, decides a race.
  (t) => [
    uniqueIndex('one_approved_run')
      .on(t.rulebookId, t.month)
      .where(sql`${t.status} = 'approved'`),
  ],
);

export const statements = pgTable(
  'statement',
  {
    runId: integer('run_id')
      .notNull()
      .references(() => paymentRuns.id),
    unitId: text('unit_id').notNull(),
    providerId: text('provider_id').notNull(),
    name: text('name').notNull(),
    ownership: text('ownership').notNull(),
    lines: jsonb('lines').notNull(),
    totalOre: money('total_ore').notNull(),
    listed: integer('listed').notNull(),
    isCorrection: boolean('is_correction').notNull().default(false),
    /** The contract in force and each member's share of this statement's total. */
    contract: jsonb('contract'),
  },
  (t) => [uniqueIndex('statement_run_unit').on(t.runId, t.unitId)],
);

/**
 * Listing changes made through the API (omlistning), applied to the batch's listing rows and kept
 * here as a log; a run from an amended batch names the change log among its inputs.
 */
export const listingChanges = pgTable('listing_change', {
  id: serial('id').primaryKey(),
  batchId: integer('batch_id')
    .notNull()
    .references(() => importBatches.id),
  personId: text('person_id').notNull(),
  unitId: text('unit_id').notNull(),
  doctorId: text('doctor_id'),
  fromDate: integer('from_date').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  createdBy: text('created_by'),
});

/** How a provider is connected to public money (anslutningsform) and under which rulebook. */
export const contracts = pgTable('contract', {
  id: serial('id').primaryKey(),
  providerId: text('provider_id').notNull(),
  unitId: text('unit_id'),
  connectionForm: text('connection_form').notNull(), // lov | nss | national_tariff
  rulebookId: text('rulebook_id'),
  startDate: date('start_date').notNull(),
  endDate: date('end_date'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  createdBy: text('created_by'),
});

/** Underleverantör: reported by the provider, approved or refused by the region, with dates. */
export const subcontractors = pgTable('subcontractor', {
  id: serial('id').primaryKey(),
  providerId: text('provider_id').notNull(),
  unitId: text('unit_id').notNull(),
  orgNr: text('org_nr').notNull(),
  name: text('name').notNull(),
  services: text('services').notNull(),
  status: text('status').notNull(), // reported | approved | refused
  reportedAt: date('reported_at').notNull(),
  decidedAt: date('decided_at'),
  decidedBy: text('decided_by'),
  reason: text('reason'),
});

// --- Procurement (issue 5): LOV choice systems and NSS assignments, applications and tenders,
// assessments, awards with standstill, group members of contracts, branch reports, activity records
// and transitional-right requests. Contracts and subcontractors above are reused.

/**
 * A procedure: a LOV choice system open for applications (vårdval) or an NSS assignment
 * (uppdrag) procured on quality. One OCDS ocid each.
 */
export const procedures = pgTable('procedure', {
  id: serial('id').primaryKey(),
  kind: text('kind').notNull(), // lov | nss
  title: text('title').notNull(),
  description: text('description').notNull(),
  rulebookId: text('rulebook_id'),
  /** NSS: verksamhetsområde (allmänmedicin, geriatrik, one of the physiotherapy specialist areas). */
  field: text('field'),
  volume: text('volume'),
  /** Kommun or part of one where the activity is to be run. */
  location: text('location'),
  places: integer('places').notNull().default(1),
  requirements: jsonb('requirements').notNull(),
  criteria: jsonb('criteria').notNull(),
  /** The fields the national notice needs (LOV: valfrihetswebben; NSS: the registered database). */
  notice: jsonb('notice').notNull(),
  status: text('status').notNull(), // draft | published | awarded | contracted | closed
  publishedAt: date('published_at'),
  awardSentAt: date('award_sent_at'),
  awardElectronic: boolean('award_electronic'),
  standstillLastDay: date('standstill_last_day'),
  earliestSigning: date('earliest_signing'),
  awardedIds: jsonb('awarded_ids'),
  awardReason: text('award_reason'),
  signedAt: date('signed_at'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  createdBy: text('created_by'),
});

/** A LOV application (alone or as a group) or an NSS tender; the applicant's lead is the counterparty. */
export const applications = pgTable('application', {
  id: serial('id').primaryKey(),
  procedureId: integer('procedure_id')
    .notNull()
    .references(() => procedures.id),
  providerId: text('provider_id').notNull(),
  applicantName: text('applicant_name').notNull(),
  /** Joint application: lead, members with shares, and what happens when a member leaves. */
  grouping: jsonb('grouping'),
  /** Units applied for, branches (filialer) among them with `branch_of`. */
  units: jsonb('units').notNull(),
  subcontractors: jsonb('subcontractors').notNull(),
  scores: jsonb('scores').notNull(),
  /** NSS: the officer's short motivation per quality criterion, beside the score. */
  scoreReasons: jsonb('score_reasons').notNull().default({}),
  status: text('status').notNull(),
  submittedAt: date('submitted_at'),
  decidedAt: date('decided_at'),
  decidedBy: text('decided_by'),
  decisionReason: text('decision_reason'),
  contractId: integer('contract_id'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  createdBy: text('created_by'),
});

export const assessments = pgTable('assessment', {
  id: serial('id').primaryKey(),
  applicationId: integer('application_id')
    .notNull()
    .references(() => applications.id),
  requirementId: text('requirement_id').notNull(),
  outcome: text('outcome').notNull(),
  evidence: text('evidence').notNull(),
  reason: text('reason').notNull(),
  assessedAt: timestamp('assessed_at', { withTimezone: true }).notNull().defaultNow(),
  assessedBy: text('assessed_by'),
});

/** Members of a group's contract and their share of the commitment; `left_at` when one leaves. */
export const contractMembers = pgTable(
  'contract_member',
  {
    contractId: integer('contract_id')
      .notNull()
      .references(() => contracts.id),
    orgNr: text('org_nr').notNull(),
    name: text('name').notNull(),
    sharePercent: integer('share_percent').notNull(),
    isLead: boolean('is_lead').notNull(),
    onLeaving: text('on_leaving').notNull(), // reallocate | terminate
    leftAt: date('left_at'),
  },
  (t) => [uniqueIndex('contract_member_org').on(t.contractId, t.orgNr)],
);

/** A branch (filial) reported during a contract, approved or refused by the region. */
export const branchReports = pgTable('branch_report', {
  id: serial('id').primaryKey(),
  contractId: integer('contract_id')
    .notNull()
    .references(() => contracts.id),
  providerId: text('provider_id').notNull(),
  unitId: text('unit_id').notNull(),
  branchOf: text('branch_of').notNull(),
  name: text('name').notNull(),
  kommun: text('kommun'),
  status: text('status').notNull(), // reported | approved | refused
  reportedAt: date('reported_at').notNull(),
  decidedAt: date('decided_at'),
  decidedBy: text('decided_by'),
  reason: text('reason'),
});

/** A national-tariff practitioner's month: full time or not (for the NSS transitional right). */
export const activityRecords = pgTable(
  'activity_record',
  {
    providerId: text('provider_id').notNull(),
    month: text('month').notNull(),
    fullTime: boolean('full_time').notNull(),
    onNationalTariff: boolean('on_national_tariff').notNull(),
  },
  (t) => [uniqueIndex('activity_provider_month').on(t.providerId, t.month)],
);

/**
 * A request for the NSS transitional right: asked by the provider (or the region for it), decided
 * once by an officer. At most one request per provider is granted (the partial unique index), so the
 * right cannot give a second contract.
 */
export const transitionalRequests = pgTable(
  'transitional_request',
  {
    id: serial('id').primaryKey(),
    providerId: text('provider_id').notNull(),
    providerName: text('provider_name').notNull(),
    profession: text('profession').notNull(),
    orientation: text('orientation').notNull(),
    tariffEnds: date('tariff_ends').notNull(),
    /** The eligibility found from the region's activity records (at request, then at decision). */
    eligible: boolean('eligible').notNull(),
    result: jsonb('result').notNull(),
    contractId: integer('contract_id'),
    status: text('status').notNull().default('requested'), // requested | granted | refused | duplicate
    /** The server's day the request came in, and the officer's decision (day, who, why). */
    requestedAt: date('requested_at'),
    decidedAt: date('decided_at'),
    decidedBy: text('decided_by'),
    decisionReason: text('decision_reason'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    createdBy: text('created_by'),
  },
  (t) => [
    uniqueIndex('transitional_granted_once')
      .on(t.providerId)
      .where(sql`${t.status} = 'granted'`),
    uniqueIndex('transitional_open_once')
      .on(t.providerId)
      .where(sql`${t.status} = 'requested'`),
  ],
);
// ---- Follow-up (uppföljning): facts units report for requirement conformance ----------------

/**
 * A fact about a unit (öppettider per vecka, psykolog, digitala kontaktvägar, ...), reported by
 * the provider for its own units or recorded by the region's officer. Rows are never changed: a new
 * report is a new row, and the latest report in force on a day is the unit's fact that day.
 */
export const unitFacts = pgTable(
  'unit_fact',
  {
    id: serial('id').primaryKey(),
    unitId: text('unit_id').notNull(),
    fact: text('fact').notNull(),
    valueNumber: doublePrecision('value_number'),
    valueBool: boolean('value_bool'),
    validFrom: date('valid_from').notNull(),
    note: text('note'),
    reportedBy: text('reported_by').notNull(),
    reportedRole: text('reported_role').notNull(),
    reportedAt: timestamp('reported_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('unit_fact_unit').on(t.unitId, t.fact)],
);

/**
 * A sanction (vite) with due process: proposed from follow-up (a requirement not met) or an event,
 * answered by the provider within the rulebook's period, decided once by an officer, and deducted
 * in the settlement month when confirmed or reduced. Dates are the server's.
 */
export const sanctions = pgTable(
  'sanction',
  {
    id: serial('id').primaryKey(),
    rulebookId: text('rulebook_id').notNull(),
    rulebookVersionId: integer('rulebook_version_id').notNull(),
    /** The rulebook's sanction (e.g. vite_krav) and what it is for: `krav psykolog`, `händelse rad 12`. */
    sanction: text('sanction').notNull(),
    basis: text('basis').notNull(), // requirement | event
    subjectKey: text('subject_key').notNull(),
    subject: text('subject').notNull(),
    /** The month followed up (YYYY-MM). */
    period: text('period').notNull(),
    unitId: text('unit_id').notNull(),
    providerId: text('provider_id').notNull(),
    proposedOre: integer('proposed_ore').notNull(),
    grounds: text('grounds').notNull(),
    source: text('source').notNull(),
    status: text('status').notNull(), // proposed | answered | confirmed | reduced | cancelled
    proposedAt: date('proposed_at').notNull(),
    proposedBy: text('proposed_by').notNull(),
    answerDue: date('answer_due').notNull(),
    answer: text('answer'),
    answeredAt: date('answered_at'),
    answeredBy: text('answered_by'),
    decidedOre: integer('decided_ore'),
    decisionReason: text('decision_reason'),
    decidedAt: date('decided_at'),
    decidedBy: text('decided_by'),
    /** The payment month (YYYY-MM) a confirmed or reduced sanction is deducted in. */
    settleMonth: text('settle_month'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('sanction_once').on(t.rulebookId, t.sanction, t.unitId, t.period, t.subjectKey),
    index('sanction_settle').on(t.settleMonth),
    index('sanction_provider').on(t.providerId),
  ],
);

/**
 * What-if scenarios (simulation drafts): a published rulebook version changed without publishing
 * it, saved under a name so that it can be reopened and shared. The YAML is the whole scenario
 * rulebook; the base version is what it was started from and is compared against.
 */
export const simulationScenarios = pgTable(
  'simulation_scenarios',
  {
    id: serial('id').primaryKey(),
    name: text('name').notNull(),
    baseVersionId: integer('base_version_id')
      .notNull()
      .references(() => rulebookVersions.id),
    yaml: text('yaml').notNull(),
    budgetNeutral: boolean('budget_neutral').notNull().default(false),
    /** Components to scale when budget-neutral; null for the default. */
    scale: jsonb('scale').$type<string[] | null>(),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('simulation_scenarios_created').on(t.createdAt)],
);

/**
 * A provider's question about a line of an approved statement (Ifrågasätt raden): the thread stays
 * with the statement (run, unit, component), an officer answers and either confirms the line or
 * links the correction run made for the month. Dates are the server's.
 */
export const statementQuestions = pgTable(
  'statement_question',
  {
    id: serial('id').primaryKey(),
    runId: integer('run_id')
      .notNull()
      .references(() => paymentRuns.id),
    unitId: text('unit_id').notNull(),
    providerId: text('provider_id').notNull(),
    component: text('component').notNull(),
    label: text('label').notNull(),
    month: text('month').notNull(),
    rulebookId: text('rulebook_id').notNull(),
    status: text('status').notNull(), // open | confirmed | corrected
    askedOn: date('asked_on').notNull(),
    askedBy: text('asked_by').notNull(),
    closedOn: date('closed_on'),
    closedBy: text('closed_by'),
    correctionRunId: integer('correction_run_id').references(() => paymentRuns.id),
  },
  (t) => [
    index('statement_question_status').on(t.status),
    index('statement_question_run').on(t.runId, t.unitId),
  ],
);

/** The messages of a question's thread, oldest first: the question, answers and the decision. */
export const statementQuestionMessages = pgTable('statement_question_message', {
  id: serial('id').primaryKey(),
  questionId: integer('question_id')
    .notNull()
    .references(() => statementQuestions.id),
  kind: text('kind').notNull(), // question | answer | confirm | correction
  text: text('text').notNull(),
  author: text('author').notNull(),
  role: text('role').notNull(),
  writtenOn: date('written_on').notNull(),
  at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
});
