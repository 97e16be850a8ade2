import { useEffect, useId, useState, type FormEvent } from 'react';
import { api, ApiError } from '../api';
import { ErrorMessage, Loading, PageHeader } from '../components/ui';
import { useApi, useTitle } from '../hooks';
import { navigate } from '../router';
import { useSession } from '../session';

interface Procedure {
  id: number;
  kind: 'lov' | 'nss';
  title: string;
  status: string;
}
interface UnitRow {
  unit_id: string;
  name: string;
  kommun: string;
  branch_of: string;
}
interface MemberRow {
  org_nr: string;
  name: string;
  share_percent: string;
}
interface SubRow {
  unit_id: string;
  org_nr: string;
  name: string;
  services: string;
}

const emptyUnit = (): UnitRow => ({ unit_id: '', name: '', kommun: '', branch_of: '' });
const emptyMember = (): MemberRow => ({ org_nr: '', name: '', share_percent: '' });
const emptySub = (): SubRow => ({ unit_id: '', org_nr: '', name: '', services: '' });

/** Rows of text fields with add and remove: the form's units, group members and subcontractors. */
function Rows<T extends object>({
  legend,
  rows,
  setRows,
  empty,
  fields,
}: {
  legend: string;
  rows: T[];
  setRows: (rows: T[]) => void;
  empty: () => T;
  fields: { key: keyof T & string; label: string; inputMode?: 'numeric' }[];
}) {
  const id = useId();
  return (
    <fieldset className="rows">
      <legend>{legend}</legend>
      {rows.map((row, i) => (
        <div className="row" key={i}>
          {fields.map((f) => (
            <div className="field" key={f.key}>
              <label htmlFor={`${id}-${i}-${f.key}`}>
                {f.label} ({i + 1})
              </label>
              <input
                id={`${id}-${i}-${f.key}`}
                inputMode={f.inputMode}
                value={String(row[f.key] ?? '')}
                onChange={(e) =>
                  setRows(rows.map((r, k) => (k === i ? { ...r, [f.key]: e.target.value } : r)))
                }
              />
            </div>
          ))}
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

/**
 * A LOV application, alone or as a group of providers (LOV 5 kap. 1 §): the lead is the region's one
 * counterparty, each member's organisationsnummer and part of the commitment are named, and so is
 * what happens when a member leaves. Units, branches and subcontractors go in the same application.
 */
export function ApplicationNewPage() {
  useTitle('Ny ansökan');
  const { me } = useSession();
  const procedures = useApi<{ items: Procedure[] }>('/api/procedures');
  const open = (procedures.data?.items ?? []).filter((p) => p.kind === 'lov' && p.status === 'published');
  const [procedureId, setProcedureId] = useState('');
  const [orgNr, setOrgNr] = useState(me.provider_id ?? '');
  const [name, setName] = useState('');
  const [units, setUnits] = useState<UnitRow[]>([emptyUnit()]);
  const [isGroup, setIsGroup] = useState(false);
  const [members, setMembers] = useState<MemberRow[]>([]);
  const [onLeaving, setOnLeaving] = useState<'reallocate' | 'terminate'>('reallocate');
  const [subs, setSubs] = useState<SubRow[]>([]);
  const [error, setError] = useState<ApiError | undefined>();
  const [busy, setBusy] = useState(false);
  const ids = useId();

  useEffect(() => {
    if (!procedureId && open[0]) setProcedureId(String(open[0].id));
  }, [open, procedureId]);
  useEffect(() => {
    // The lead is a member too, with its own part of the commitment.
    if (isGroup && members.length === 0)
      setMembers([{ org_nr: orgNr, name, share_percent: '' }, emptyMember()]);
  }, [isGroup, members.length, orgNr, name]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const created = await api<{ id: number }>(`/api/procedures/${procedureId}/applications`, {
        method: 'POST',
        json: {
          provider_id: orgNr,
          applicant_name: name,
          group: isGroup
            ? {
                lead_org_nr: orgNr,
                on_member_leaving: onLeaving,
                members: members.map((m) => ({ ...m, share_percent: Number(m.share_percent) })),
              }
            : null,
          units: units.map((u) => ({
            unit_id: u.unit_id,
            name: u.name,
            kommun: u.kommun || null,
            branch_of: u.branch_of || null,
          })),
          subcontractors: subs,
        },
      });
      await api(`/api/applications/${created.id}/submit`, { method: 'POST' });
      navigate(`/ansokningar/${created.id}`);
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, 'Något gick fel', String(err)));
    } finally {
      setBusy(false);
    }
  };

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
        <form className="card form application-form" onSubmit={submit} noValidate>
          {error && <ErrorMessage error={error} title="Ansökan kunde inte skickas in" />}
          <div className="field">
            <label htmlFor={`${ids}-proc`}>Valfrihetssystem</label>
            <select id={`${ids}-proc`} value={procedureId} onChange={(e) => setProcedureId(e.target.value)}>
              {open.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.title}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${ids}-name`}>Sökande (namn)</label>
            <input id={`${ids}-name`} value={name} onChange={(e) => setName(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor={`${ids}-org`}>Organisationsnummer</label>
            <input
              id={`${ids}-org`}
              value={orgNr}
              inputMode="numeric"
              readOnly={me.role === 'provider'}
              onChange={(e) => setOrgNr(e.target.value)}
            />
          </div>
          <Rows
            legend="Enheter och filialer"
            rows={units}
            setRows={setUnits}
            empty={emptyUnit}
            fields={[
              { key: 'unit_id', label: 'HSA-id' },
              { key: 'name', label: 'Namn' },
              { key: 'kommun', label: 'Kommun (kod)', inputMode: 'numeric' },
              { key: 'branch_of', label: 'Filial till (HSA-id)' },
            ]}
          />
          <div className="field checkbox">
            <input
              id={`${ids}-group`}
              type="checkbox"
              checked={isGroup}
              onChange={(e) => setIsGroup(e.target.checked)}
            />
            <label htmlFor={`${ids}-group`}>Gemensam ansökan (grupp av vårdgivare, LOV 5 kap. 1 §)</label>
          </div>
          {isGroup && (
            <>
              <Rows
                legend="Gruppens medlemmar"
                rows={members}
                setRows={setMembers}
                empty={emptyMember}
                fields={[
                  { key: 'org_nr', label: 'Organisationsnummer', inputMode: 'numeric' },
                  { key: 'name', label: 'Namn' },
                  { key: 'share_percent', label: 'Andel av åtagandet (%)', inputMode: 'numeric' },
                ]}
              />
              <div className="field">
                <label htmlFor={`${ids}-leaving`}>Om en medlem lämnar gruppen</label>
                <select
                  id={`${ids}-leaving`}
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
            rows={subs}
            setRows={setSubs}
            empty={emptySub}
            fields={[
              { key: 'unit_id', label: 'För enhet (HSA-id)' },
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
      )}
    </>
  );
}
