import type { Criterion } from '../../core/procurement/nss-evaluation.js';
import type { ApplicationRow, ApplicationUnit, Notice, PublishedProcedure } from '../store/procurement.js';

/**
 * Open Contracting Data Standard 1.1 release packages: one per procedure (LOV choice system or NSS
 * assignment), with a tender release for the notice, an award release for the decisions and a contract
 * release for the contracts. Organisation numbers that are personal identity numbers (a sole trader's
 * enskild firma) are never published: such a party gets a local id and no identifier.
 */

/** OCDS asks publishers to register a prefix; this one is the project's until a region registers its own. */
const OCID_PREFIX = process.env.VARDVAL_OCID_PREFIX ?? 'ocds-vrdval';
const OCDS_LICENSE = 'https://creativecommons.org/licenses/by/4.0/';

const at = (date: string) => `${date}T00:00:00Z`;

/**
 * A Swedish organisationsnummer has 2 or more as its third digit; a sole trader trades under the
 * owner's personnummer (month digits 01–12), which is personal data.
 */
function isPersonalNumber(orgNr: string): boolean {
  const d = orgNr.replace(/\D/g, '');
  const ten = d.length === 12 ? d.slice(2) : d;
  return ten.length === 10 && Number(ten[2]) < 2;
}

interface Party {
  id: string;
  name: string;
  identifier?: { scheme: string; id: string; legalName: string };
  roles: string[];
}

class Parties {
  private byKey = new Map<string, Party>();
  private localIds = 0;
  constructor(private readonly ocid: string) {}

  add(orgNr: string, name: string, role: string): { id: string; name: string } {
    const digits = orgNr.replace(/\D/g, '');
    const personal = isPersonalNumber(digits);
    const key = personal ? `p:${digits}` : digits;
    let p = this.byKey.get(key);
    if (!p) {
      p = personal
        ? { id: `${this.ocid}-party-${++this.localIds}`, name, roles: [] }
        : {
            id: `SE-BLV-${digits}`,
            name,
            identifier: { scheme: 'SE-BLV', id: digits, legalName: name },
            roles: [],
          };
      this.byKey.set(key, p);
    }
    if (!p.roles.includes(role)) p.roles.push(role);
    return { id: p.id, name: p.name };
  }

  list(): Party[] {
    return [...this.byKey.values()];
  }
}

interface Group {
  leadOrgNr: string;
  members: { orgNr: string; name: string; sharePercent: number }[];
}

export function ocidOf(procedureId: number): string {
  return `${OCID_PREFIX}-${procedureId}`;
}

/** The release package of one procedure, from its rows (the store's publishedProcedures). */
function buildReleasePackage(
  { procedure: proc, applications: apps, contracts }: PublishedProcedure,
  opts: { baseUrl: string; publishedDate: string },
) {
  const ocid = ocidOf(proc.id);
  const notice = proc.notice as Notice;
  const parties = new Parties(ocid);
  const buyer = parties.add(notice.authority_org_nr, notice.authority_name, 'buyer');
  parties.add(notice.authority_org_nr, notice.authority_name, 'procuringEntity');
  const lov = proc.kind === 'lov';
  const submitted = apps.filter((a) => a.submittedAt !== null && a.status !== 'withdrawn');
  const suppliersOf = (a: ApplicationRow, role: string) => {
    const g = a.grouping as Group | null;
    return g
      ? g.members.map((m) => parties.add(m.orgNr, m.name, role))
      : [parties.add(a.providerId, a.applicantName, role)];
  };
  const tenderers = submitted.flatMap((a) => suppliersOf(a, 'tenderer'));
  const decided = lov
    ? apps.filter((a) => a.status === 'approved')
    : apps.filter((a) => a.status === 'awarded');
  // An NSS award stays pending through the standstill, until the contract is signed.
  const awardStatus = (a: ApplicationRow) => (lov || a.contractId !== null ? 'active' : 'pending');
  const awards = decided.map((a) => ({
    id: `${ocid}-award-${a.id}`,
    title: lov ? `Godkännande: ${a.applicantName}` : `Tilldelning: ${a.applicantName}`,
    ...(a.grouping
      ? {
          description: `Gemensam ansökan (LOV 5 kap. 1 §); huvudman och regionens motpart: ${a.applicantName}`,
        }
      : {}),
    status: awardStatus(a),
    date: at((lov ? a.decidedAt : proc.awardSentAt) ?? proc.publishedAt ?? '1970-01-01'),
    suppliers: suppliersOf(a, 'supplier'),
    // OCDS wants at least one item when items are given: a tender without named units has none.
    ...((a.units as ApplicationUnit[]).length
      ? {
          items: (a.units as ApplicationUnit[]).map((u) => ({
            id: u.unit_id,
            description: u.branch_of ? `Filial till ${u.branch_of}: ${u.name}` : u.name,
          })),
        }
      : {}),
  }));
  const contractRows = contracts.filter((c) => decided.some((a) => a.contractId === c.id));
  const ocdsContracts = contractRows.map((c) => {
    const a = decided.find((x) => x.contractId === c.id)!;
    const ended = c.endDate !== null && c.endDate < opts.publishedDate.slice(0, 10);
    return {
      id: `${ocid}-contract-${c.id}`,
      awardID: `${ocid}-award-${a.id}`,
      title: `${lov ? 'LOV-avtal' : 'NSS-kontrakt'}: ${a.applicantName}`,
      status: ended ? 'terminated' : 'active',
      period: { startDate: at(c.startDate), ...(c.endDate ? { endDate: at(c.endDate) } : {}) },
      dateSigned: at((lov ? a.decidedAt : proc.signedAt) ?? c.startDate),
    };
  });
  const tenderStatus = lov ? 'active' : proc.status === 'published' ? 'active' : 'complete';
  const tender = {
    id: `${ocid}-tender`,
    title: proc.title,
    description: proc.description,
    status: tenderStatus,
    procuringEntity: buyer,
    items: [
      {
        id: '1',
        description: lov ? proc.title : `${proc.field}: ${proc.volume} (${proc.location})`,
        classification: { scheme: 'CPV', id: notice.cpv.replace(/-\d$/, ''), description: proc.title },
      },
    ],
    procurementMethod: 'open',
    procurementMethodDetails: lov
      ? 'Valfrihetssystem enligt lagen (2008:962) om valfrihetssystem: alla sökande som uppfyller kraven godkänns'
      : 'Nationellt system för småskalig vård (NSS): tilldelning enbart på kvalitet, aldrig på pris',
    mainProcurementCategory: 'services',
    ...(lov
      ? {}
      : {
          awardCriteria: 'qualityOnly',
          awardCriteriaDetails: (proc.criteria as Criterion[])
            .map((c) => `${c.name} ${c.weight} %`)
            .join('; '),
        }),
    submissionMethod: ['electronicSubmission'],
    tenderPeriod: {
      startDate: at(notice.open_from),
      ...(notice.open_until ? { endDate: at(notice.open_until) } : {}),
    },
    eligibilityCriteria: (proc.requirements as { id: string; text: string; source: string }[])
      .map((r) => `${r.id}: ${r.text} (${r.source})`)
      .join('\n'),
    numberOfTenderers: tenderers.length,
    tenderers,
    documents: [
      {
        id: `${ocid}-doc-1`,
        documentType: 'tenderNotice',
        title: lov ? 'Förfrågningsunderlag' : 'Upphandlingsdokument',
        url: notice.documents_url,
        language: 'sv',
      },
    ],
  };
  // Each release repeats the parties and the tender, and adds the sections of its stage.
  const release = (id: string, date: string | undefined, tag: string, sections: object = {}) => ({
    ocid,
    initiationType: 'tender',
    language: 'sv',
    buyer,
    id,
    date,
    tag: [tag],
    parties: parties.list(),
    tender,
    ...sections,
  });
  const latest = (dates: string[]) => dates.sort().at(-1);
  const published = proc.publishedAt ?? proc.createdAt.toISOString().slice(0, 10);
  const releases: Record<string, unknown>[] = [release(`${ocid}-tender`, at(published), 'tender')];
  if (awards.length)
    releases.push(
      release(`${ocid}-award-${awards.length}`, latest(awards.map((a) => a.date)), 'award', { awards }),
    );
  if (ocdsContracts.length)
    releases.push(
      release(
        `${ocid}-contract-${ocdsContracts.length}`,
        latest(ocdsContracts.map((c) => c.dateSigned)),
        'contract',
        { awards, contracts: ocdsContracts },
      ),
    );
  return {
    uri: `${opts.baseUrl}/api/ocds/packages/${proc.id}`,
    version: '1.1',
    publishedDate: opts.publishedDate,
    publisher: { name: notice.authority_name, scheme: 'SE-BLV', uid: notice.authority_org_nr },
    license: OCDS_LICENSE,
    publicationPolicy: `${opts.baseUrl}/api/ocds`,
    releases,
  };
}

export type ReleasePackage = ReturnType<typeof buildReleasePackage>;

/** The release packages of the procedures (the store's publishedProcedures), published now unless a date is given. */
export function releasePackages(
  procedures: PublishedProcedure[],
  opts: { baseUrl: string; publishedDate?: string },
): ReleasePackage[] {
  const publishedDate = opts.publishedDate ?? new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  return procedures.map((p) => buildReleasePackage(p, { baseUrl: opts.baseUrl, publishedDate }));
}
