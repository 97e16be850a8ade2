export interface Member {
  org_nr: string;
  name: string;
  share_percent: number;
  lead: boolean;
  on_leaving: 'reallocate' | 'terminate';
  left_at: string | null;
}

export interface Branch {
  id: number;
  unit_id: string;
  branch_of: string;
  name: string;
  kommun: string | null;
  status: 'reported' | 'approved' | 'refused';
  reported_at: string;
  decided_at: string | null;
  reason: string | null;
}

export interface ContractDetails {
  id: number;
  provider_id: string;
  unit_id: string | null;
  connection_form: 'lov' | 'nss' | 'national_tariff';
  rulebook_id: string | null;
  start_date: string;
  end_date: string | null;
  term: null | { years: number; end: string; reprocurement_from: string; warning: string | null };
  members: Member[];
  units: { unit_id: string; name: string; branch_of: string | null }[];
  branches: Branch[];
}

export interface LeavePreview {
  outcome: 'reallocated' | 'contract_ends';
  explanation: string;
  members: { org_nr: string; name: string; share_percent: number }[];
  units: { unit_id: string; name: string; consequence: string }[];
}
