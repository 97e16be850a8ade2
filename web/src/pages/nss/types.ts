/** What the NSS pages read from the API (see /api/openapi.json). */

export interface Criterion {
  id: string;
  name: string;
  weight: number;
  max_score: number;
}

export interface Requirement {
  id: string;
  kind: 'exclusion' | 'qualification';
  text: string;
  source: string;
}

/** A procedure, LOV or NSS; the API documents only its head, so the rest is written here. */
export interface NssProcedure {
  id: number;
  kind: 'lov' | 'nss';
  title: string;
  description: string;
  field: string | null;
  volume: string | null;
  location: string | null;
  places: number;
  status: string;
  published_at: string | null;
  ocid: string;
  requirements: Requirement[];
  criteria: Criterion[];
  notice: {
    authority_name: string;
    authority_org_nr: string;
    contact_email: string;
    documents_url: string;
    cpv: string;
    open_from: string;
    open_until: string | null;
  };
  award: null | {
    sent_at: string;
    electronic: boolean;
    awarded_application_ids: number[];
    reason: string | null;
    standstill_last_day: string;
    earliest_signing: string;
    signed_at: string | null;
  };
}

export interface Tender {
  id: number;
  procedure_id: number;
  provider_id: string;
  applicant_name: string;
  status: string;
  submitted_at: string | null;
  contract_id: number | null;
  group: null | { members: unknown[] };
}

export interface Standstill {
  sent_at: string;
  electronic: boolean;
  days: number;
  nominal_last_day: string;
  last_day: string;
  earliest_signing: string;
  moved: { date: string; reason: string }[];
  may_sign: boolean;
  signed_at: string | null;
}

export interface Review {
  text: string;
  court: string;
  deadline: string;
  source: string;
}

export interface TenderView {
  procedure: { id: number; title: string; status: string };
  criteria: (Criterion & { score: number | null; motivation: string | null })[];
  decision: null | {
    outcome: 'awarded' | 'not_awarded';
    reason: string | null;
    standstill: Standstill | null;
    review: Review;
  };
}

export type Evaluation =
  | {
      ok: true;
      winners: number[];
      tie: { application_ids: number[]; places: number } | null;
      ranking: {
        application_id: number;
        tenderer: string;
        qualified: boolean;
        failed: string[];
        weighted_score: number;
        rank: number | null;
      }[];
    }
  | { ok: false; code: string; errors: { pointer: string; message: string }[] };
