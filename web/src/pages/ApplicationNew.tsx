import { useEffect, useId, useState, type FormEvent } from 'react';
import { api, ApiError } from '../api';
import type { Schemas } from '../api/types';
import {
  ErrorSummary,
  fieldErrorsOf,
  fieldId,
  fieldProps,
  FormIdProvider,
  type FieldErrors,
} from '../components/FieldErrors';
import { Card, ErrorMessage, Loading, PageHeader } from '../components/ui';
import { date, orgNr as formatOrgNr } from '../format';
import { useApi, useTitle } from '../hooks';
import { useKommuner } from '../kommuner';
import { Link } from '../router';
import { useSession } from '../session';
import { CheckboxField } from '../components/TextField';

type Procedure = Schemas['Procedure'];
interface UnitRow {
  unit_id: string;
  name: string;
  kommun: string;
  /** The row number (from 0) of the unit this one is a branch of, or ''. */
  branch_of: string;
}
interface MemberRow {
  org_nr: string;
  name: string;
  share_percent: string;
}
interface SubRow {
  /** The row number of the unit the subcontractor works for. */
  unit_id: string;
  org_nr: string;
  name: string;
  services: string;
}
interface Field<T> {
  key: keyof T & string;
  label: string;
  hint?: string;
  inputMode?: 'numeric';
  /** A choice instead of text: [value, text]. */
  options?: [string, string][];
}

const emptyUnit = (): UnitRow => ({ unit_id: '', name: '', kommun: '', branch_of: '' });
const emptyMember = (): MemberRow => ({ org_nr: '', name: '', share_percent: '' });
const emptySub = (): SubRow => ({ unit_id: '0', org_nr: '', name: '', services: '' });
const today = () => new Date().toISOString().slice(0, 10);
/** The API stores organisationsnummer as ten digits; people may type the hyphen. */
const orgDigits = (value: string) =>
  /^\d{6}-\d{4}$/.test(value.trim()) ? value.trim().replace('-', '') : value.trim();

const FIELD_NAMES: Record<string, string> = {
  provider_id: 'Organisationsnummer',
  applicant_name: 'Sökande (namn)',
  unit_id: 'HSA-id',
  name: 'Namn',
  kommun: 'Kommun',
  branch_of: 'Filial till',
  org_nr: 'Organisationsnummer',
  share_percent: 'Andel av åtagandet',
  services: 'Tjänster',
  members: 'Gruppens medlemmar',
  units: 'Enheter',
};
const ROW_NAMES: Record<string, string> = {
  units: 'enhet',
  members: 'medlem',
  subcontractors: 'underleverantör',
};

/** "/units/0/kommun" → "Kommun (enhet 1)". */
function labelOf(pointer: string): string {
  const parts = pointer.split('/').filter(Boolean);
  const name = parts.at(-1);
  const field = (name && FIELD_NAMES[name]) ?? name ?? 'Ansökan';
  const rows = parts.findIndex((p) => ROW_NAMES[p]);
  const row = ROW_NAMES[parts[rows] ?? ''];
  const index = Number(parts[rows + 1]);
  return row && Number.isInteger(index) ? `${field} (${row} ${index + 1})` : field;
}

/** Rows of fields with add and remove: the form's units, group members and subcontractors. */
function Rows<T extends object>({
  legend,
  base,
  rows,
  setRows,
  empty,
  fields,
  errors,
  form,
}: {
  legend: string;
  /** The rows' pointer in the request: /units, /group/members. */
  base: string;
  rows: T[];
  setRows: (rows: T[]) => void;
  empty: () => T;
  fields: Field<T>[];
  errors: FieldErrors;
  form: string;
}) {
  const rowsError = errors.get(base);
  return (
    <fieldset
      className="rows"
      id={fieldId(form, base)}
      aria-describedby={rowsError ? `${form}${base}-rows-error` : undefined}
    >
      <legend>{legend}</legend>
      {rowsError && (
        <p className="field-error" id={`${form}${base}-rows-error`}>
          {rowsError}
        </p>
      )}
      {rows.map((row, i) => (
        <div className="row" key={i}>
          {fields.map((f) => {
            const pointer = `${base}/${i}/${f.key}`;
            const hintId = f.hint ? `${form}${base}-${i}-${f.key}-hint` : undefined;
            const p = fieldProps(form, pointer, errors, hintId);
            const value = String(row[f.key] ?? '');
            const set = (v: string) => setRows(rows.map((r, k) => (k === i ? { ...r, [f.key]: v } : r)));
            return (
              <div className="field" key={f.key}>
                <label htmlFor={p.id}>
                  {f.label} ({i + 1})
                </label>
                {f.hint && (
                  <span className="hint" id={hintId}>
                    {f.hint}
                  </span>
                )}
                {p.error}
                {f.options ? (
                  <select {...p.input} value={value} onChange={(e) => set(e.target.value)}>
                    {f.options.map(([v, t]) => (
                      <option key={v} value={v}>
                        {t}
                      </option>
                    ))}
                  </select>
                ) : (
                  <input
                    {...p.input}
                    inputMode={f.inputMode}
                    value={value}
                    onChange={(e) => set(e.target.value)}
                  />
                )}
              </div>
            );
          })}
          <button
            type="button"
            className="button secondary small"
            onClick={() => setRows(rows.filter((_, k) => k !== i))}
            aria-label={`Ta bort rad ${i + 1} i ${legend.toLowerCase()}`}
          >
            Ta bort
          </button>
        </div>
      ))}
      <button type="button" className="button secondary small" onClick={() => setRows([...rows, empty()])}>
        Lägg till rad
      </button>
    </fieldset>
  );
}

interface Receipt {
  id: number;
  procedure: string;
  applicant: string;
  orgNr: string;
  units: { name: string; kommun: string }[];
  submittedAt: string;
}

/**
 * A LOV application, alone or as a group of providers (LOV 5 kap. 1 §): the lead is the region's one
 * counterparty, each member's organisationsnummer and part of the commitment are named, and so is
 * what happens when a member leaves. Units, branches and subcontractors go in the same application.
 * A new unit has no HSA-id yet: the form gives it a provisional one that the region replaces.
 */
export function ApplicationNewPage() {
  useTitle('Ny ansökan');
  const { me } = useSession();
  const kommuner = useKommuner();
  const procedures = useApi<{ items: Procedure[] }>('/api/procedures');
  const open = (procedures.data?.items ?? []).filter((p) => p.kind === 'lov' && p.status === 'published');
  const [procedureId, setProcedureId] = useState('');
  const [orgNr, setOrgNr] = useState(me.provider_id ? formatOrgNr(me.provider_id) : '');
  const [name, setName] = useState('');
  const [units, setUnits] = useState<UnitRow[]>([emptyUnit()]);
  const [isGroup, setIsGroup] = useState(false);
  const [members, setMembers] = useState<MemberRow[]>([]);
  const [onLeaving, setOnLeaving] = useState<'reallocate' | 'terminate'>('reallocate');
  const [subs, setSubs] = useState<SubRow[]>([]);
  const [error, setError] = useState<ApiError | undefined>();
  const [receipt, setReceipt] = useState<Receipt | undefined>();
  const [busy, setBusy] = useState(false);
  const form = useId().replace(/:/g, '');
  const errors = fieldErrorsOf(error);

  useEffect(() => {
    if (!procedureId && open[0]) setProcedureId(String(open[0].id));
  }, [open, procedureId]);
  useEffect(() => {
    // The lead is a member too, with its own part of the commitment.
    if (isGroup && members.length === 0)
      setMembers([{ org_nr: orgNr, name, share_percent: '' }, emptyMember()]);
  }, [isGroup, members.length, orgNr, name]);

  // A unit without an HSA-id gets a provisional id, unique within the application.
  const digits = orgNr.replace(/\D/g, '');
  const unitIdOf = (row: number) => units[row]?.unit_id.trim() || `${digits}-NY${row + 1}`;
  const unitChoices = units.map((u, i): [string, string] => [String(i), u.name.trim() || `Enhet ${i + 1}`]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const created = await api<{ id: number }>(`/api/procedures/${procedureId}/applications`, {
        method: 'POST',
        json: {
          provider_id: orgDigits(orgNr),
          applicant_name: name.trim(),
          group: isGroup
            ? {
                lead_org_nr: orgDigits(orgNr),
                on_member_leaving: onLeaving,
                members: members.map((m) => ({
                  ...m,
                  org_nr: orgDigits(m.org_nr),
                  share_percent: m.share_percent.trim() === '' ? undefined : Number(m.share_percent),
                })),
              }
            : null,
          units: units.map((u, i) => ({
            unit_id: unitIdOf(i),
            name: u.name.trim(),
            kommun: u.kommun || null,
            branch_of: u.branch_of === '' ? null : unitIdOf(Number(u.branch_of)),
          })),
          subcontractors: subs.map((s) => ({
            ...s,
            org_nr: orgDigits(s.org_nr),
            unit_id: unitIdOf(Number(s.unit_id)),
          })),
        },
      });
      const submittedAt = today();
      // The server dates the submission; the receipt shows the day as the applicant sees it.
      await api(`/api/applications/${created.id}/submit`, { method: 'POST' });
      setReceipt({
        id: created.id,
        procedure: open.find((p) => String(p.id) === procedureId)?.title ?? '',
        applicant: name.trim(),
        orgNr: formatOrgNr(orgNr),
        units: units.map((u) => ({ name: u.name.trim(), kommun: kommuner.name(u.kommun) })),
        submittedAt,
      });
      window.scrollTo(0, 0);
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, 'Något gick fel', String(err)));
    } finally {
      setBusy(false);
    }
  };

  if (receipt) return <ApplicationReceipt receipt={receipt} />;

  const name$ = fieldProps(form, '/applicant_name', errors);
  const org$ = fieldProps(form, '/provider_id', errors, `${form}-org-hint`);
  // What belongs to no field (a conflict, a lost connection) is said once, above the list.
  const placed = error !== undefined && error.errors.length > 0 && error.errors.every((e) => e.pointer);
  const kommunOptions: [string, string][] = [
    ['', 'Välj kommun'],
    ...[...kommuner.all]
      .sort((a, b) => a.name.localeCompare(b.name, 'sv'))
      .map((k): [string, string] => [k.code, k.name]),
  ];

  return (
    <>
      <PageHeader
        title="Ny ansökan"
        crumbs={[{ href: '/ansokningar', label: 'Ansökningar' }]}
        lead="Ansök till ett valfrihetssystem, ensam eller tillsammans med andra vårdgivare, med enheter, filialer och underleverantörer."
      />
      {procedures.loading && <Loading what="valfrihetssystemen" />}
      {procedures.error && <ErrorMessage error={procedures.error} />}
      {procedures.data && open.length === 0 && <p>Inget valfrihetssystem är öppet för ansökan.</p>}
      {open.length > 0 && (
        <FormIdProvider value={form}>
          <form className="card form application-form" onSubmit={submit} noValidate>
            {error && (
              <ErrorSummary
                title="Ansökan kunde inte skickas in"
                errors={errors}
                labels={labelOf}
                other={!placed && <p>{error.detail ?? error.title}</p>}
              />
            )}
            <div className="field">
              <label htmlFor={`${form}-proc`}>Valfrihetssystem</label>
              <select
                id={`${form}-proc`}
                value={procedureId}
                onChange={(e) => setProcedureId(e.target.value)}
              >
                {open.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.title}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor={name$.id}>Sökande (namn)</label>
              {name$.error}
              <input {...name$.input} value={name} onChange={(e) => setName(e.target.value)} />
            </div>
            <div className="field">
              <label htmlFor={org$.id}>Organisationsnummer</label>
              <span className="hint" id={`${form}-org-hint`}>
                Tio siffror, t.ex. 556016-0680
              </span>
              {org$.error}
              <input
                {...org$.input}
                value={orgNr}
                inputMode="numeric"
                readOnly={me.role === 'provider'}
                onChange={(e) => setOrgNr(e.target.value)}
              />
            </div>
            <Rows
              legend="Enheter och filialer"
              base="/units"
              rows={units}
              setRows={setUnits}
              empty={emptyUnit}
              errors={errors}
              form={form}
              fields={[
                { key: 'name', label: 'Namn' },
                { key: 'kommun', label: 'Kommun', options: kommunOptions },
                {
                  key: 'unit_id',
                  label: 'HSA-id',
                  hint: 'Om enheten redan har ett; annars lämna tomt',
                },
                {
                  key: 'branch_of',
                  label: 'Filial till',
                  options: [['', 'Ingen (egen vårdcentral)'], ...unitChoices],
                },
              ]}
            />
            <CheckboxField
              label="Gemensam ansökan (grupp av vårdgivare, LOV 5 kap. 1 §)"
              checked={isGroup}
              onChange={setIsGroup}
            />
            {isGroup && (
              <>
                <Rows
                  legend="Gruppens medlemmar"
                  base="/group/members"
                  rows={members}
                  setRows={setMembers}
                  empty={emptyMember}
                  errors={errors}
                  form={form}
                  fields={[
                    { key: 'org_nr', label: 'Organisationsnummer', inputMode: 'numeric' },
                    { key: 'name', label: 'Namn' },
                    { key: 'share_percent', label: 'Andel av åtagandet (%)', inputMode: 'numeric' },
                  ]}
                />
                <div className="field">
                  <label htmlFor={`${form}-leaving`}>Om en medlem lämnar gruppen</label>
                  <select
                    id={`${form}-leaving`}
                    value={onLeaving}
                    onChange={(e) => setOnLeaving(e.target.value as 'reallocate' | 'terminate')}
                  >
                    <option value="reallocate">Andelen fördelas på övriga medlemmar</option>
                    <option value="terminate">Avtalet upphör</option>
                  </select>
                </div>
              </>
            )}
            <Rows
              legend="Underleverantörer"
              base="/subcontractors"
              rows={subs}
              setRows={setSubs}
              empty={emptySub}
              errors={errors}
              form={form}
              fields={[
                { key: 'unit_id', label: 'För enhet', options: unitChoices },
                { key: 'org_nr', label: 'Organisationsnummer', inputMode: 'numeric' },
                { key: 'name', label: 'Namn' },
                { key: 'services', label: 'Tjänster' },
              ]}
            />
            <div>
              <button type="submit" className="button" disabled={busy}>
                {busy ? 'Skickar …' : 'Skicka in ansökan'}
              </button>
            </div>
          </form>
        </FormIdProvider>
      )}
    </>
  );
}

/** What the applicant sent, its number, and what happens next. */
function ApplicationReceipt({ receipt }: { receipt: Receipt }) {
  return (
    <>
      <PageHeader title="Ansökan är inskickad" crumbs={[{ href: '/ansokningar', label: 'Ansökningar' }]} />
      <Card title="Kvitto" testId="application-receipt">
        <dl className="facts">
          <dt>Ärendenummer</dt>
          <dd>{receipt.id}</dd>
          <dt>Inskickad</dt>
          <dd>{date(receipt.submittedAt)}</dd>
          <dt>Valfrihetssystem</dt>
          <dd>{receipt.procedure}</dd>
          <dt>Sökande</dt>
          <dd>
            {receipt.applicant} ({receipt.orgNr})
          </dd>
          <dt>Enheter</dt>
          <dd>
            {receipt.units.map((u) => (u.kommun ? `${u.name}, ${u.kommun}` : u.name)).join('; ') || '–'}
          </dd>
        </dl>
      </Card>
      <Card title="Så går det vidare">
        <ol>
          <li>Regionens handläggare prövar ansökan mot uteslutningsgrunderna och kvalificeringskraven.</li>
          <li>Saknas något hör handläggaren av sig till er; ni kan följa ärendet under Ansökningar.</li>
          <li>
            Beslutet om godkännande eller avslag kommer skriftligt. Efter ett godkännande tecknas avtal och
            enheterna förs in i registret; nya enheter får sitt HSA-id då.
          </li>
        </ol>
        <p>
          <Link href={`/ansokningar/${receipt.id}`}>Visa ansökan</Link>
        </p>
      </Card>
    </>
  );
}
