import { useCallback, useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { api, ApiError, fetchAll, type Run, type RulebookVersion } from '../api';
import { Card, ErrorMessage, Loading, PageHeader, SelectField } from '../components/ui';
import { monthLabel } from '../format';
import { useLoad, useQuestion, useTitle } from '../hooks';
import { setQuery, useLocation } from '../router';
import { can, useSession } from '../session';
import { versionName } from './Rulebooks';
import { SimulationResults, type SimulationResult } from './simulation/Results';
import { SavedScenarios, type SavedScenario } from './simulation/SavedScenarios';
import { ScenarioEditor } from './simulation/ScenarioEditor';
import { CheckboxField } from '../components/TextField';

/** The scenario select's value for a changed (unpublished) copy of the base. */
const DRAFT = 'utkast';

/**
 * Simulation: the same month under the rulebook in force and a scenario, which is another
 * published version or the base changed here without publishing (a what-if draft, saved under a
 * name and shared by its link), budget-neutral on request.
 */
export function SimulationPage() {
  useTitle('Simulering');
  const { me } = useSession();
  const mayDraft = can(me.role, 'changeRulebooks');
  const { query } = useLocation();
  const openId = query.get('scenario');
  const setup = useLoad('simulation-setup', async (signal) => {
    const [versions, runs] = await Promise.all([
      api<{ items: RulebookVersion[] }>('/api/rulebooks', { signal }),
      fetchAll<Run>('/api/runs', signal),
    ]);
    return {
      versions: versions.items.filter((v) => v.status === 'published'),
      months: [...new Set(runs.map((r) => r.month))].sort().reverse(),
    };
  });
  const versions = setup.data?.versions ?? [];
  const months = setup.data?.months ?? [];
  const [base, setBase] = useState('');
  const [scenario, setScenario] = useState('');
  const [month, setMonth] = useState('');
  const { busy, error, answer: result, setAnswer: setResult, ask } = useQuestion<SimulationResult>();
  const resultRef = useRef<HTMLHeadingElement>(null);
  const [neutral, setNeutral] = useState(false);
  // Components to scale once the officer has chosen; until then the default (all but penalties,
  // VAT and the lines computed from others).
  const [scale, setScale] = useState<string[] | undefined>();
  // The draft: the scenario rulebook's text, and the saved scenario it was opened from.
  const [draft, setDraft] = useState<string | undefined>();
  const [draftValid, setDraftValid] = useState(false);
  const [opened, setOpened] = useState<SavedScenario | undefined>();
  const [loadError, setLoadError] = useState<ApiError | undefined>();
  const scalable = result?.components.filter((c) => c.scalable) ?? [];
  const scaled = (id: string) =>
    scale ? scale.includes(id) : (result?.budget_neutral?.scaled_components.includes(id) ?? true);
  const toggleScaled = (id: string, on: boolean) =>
    setScale(scalable.map((c) => c.component).filter((c) => (c === id ? on : scaled(c))));

  const baseValue = base || String(versions[0]?.id ?? '');
  const scenarioValue =
    scenario || String(versions.find((v) => String(v.id) !== baseValue)?.id ?? versions[0]?.id ?? '');
  const monthValue = month || months[0] || '';
  const drafting = scenarioValue === DRAFT;

  useEffect(() => {
    if (result) resultRef.current?.focus();
  }, [result]);

  // A shared link (?scenario=ID) opens the saved scenario: its base, its text and its scaling.
  useEffect(() => {
    if (!openId || !mayDraft || opened?.id === Number(openId)) return;
    const controller = new AbortController();
    api<SavedScenario>(`/api/simulation-scenarios/${encodeURIComponent(openId)}`, {
      signal: controller.signal,
    }).then(
      (s) => {
        setOpened(s);
        setBase(String(s.base_version_id));
        setScenario(DRAFT);
        setDraft(s.yaml);
        setNeutral(s.budget_neutral);
        setScale(s.scale ?? undefined);
        setResult(undefined);
      },
      (e: unknown) => {
        if (!controller.signal.aborted) setLoadError(e as ApiError);
      },
    );
    return () => controller.abort();
  }, [openId, mayDraft, opened?.id, setResult]);

  const startFromBase = useCallback(async (versionId: string) => {
    setLoadError(undefined);
    try {
      const v = await api<{ yaml: string }>(`/api/rulebooks/${encodeURIComponent(versionId)}`);
      setDraft(v.yaml);
    } catch (e) {
      setLoadError(e as ApiError);
    }
  }, []);

  // Choosing "changed copy" starts from the base's text unless a draft is already open.
  useEffect(() => {
    if (drafting && draft === undefined && baseValue) void startFromBase(baseValue);
  }, [drafting, draft, baseValue, startFromBase]);

  const run = async (e: FormEvent) => {
    e.preventDefault();
    const neutralBody = neutral ? { budget_neutral: true, ...(scale ? { scale } : {}) } : {};
    await ask(() =>
      drafting
        ? api<SimulationResult>('/api/ui/simulations/draft', {
            method: 'POST',
            json: { base_version_id: Number(baseValue), yaml: draft, month: monthValue, ...neutralBody },
          })
        : api<SimulationResult>('/api/ui/simulations', {
            method: 'POST',
            json: {
              base_version_id: Number(baseValue),
              scenario_version_id: Number(scenarioValue),
              month: monthValue,
              ...neutralBody,
            },
          }),
    );
  };

  const scenarioOptions: [string, string][] = [
    ...versions.map((v): [string, string] => [String(v.id), versionName(v)]),
    ...(mayDraft ? [[DRAFT, 'Ändrad kopia av basen (utkast, publiceras inte)'] as [string, string]] : []),
  ];

  return (
    <>
      <PageHeader
        title="Simulering"
        lead="Samma månad under två regelböcker: vad ändringen betyder för varje vårdenhet, per ägarform, per områdesklass och per kommun. Ändra parametrarna i en kopia av regelboken utan att publicera den och spara den som ett scenario."
      />
      {mayDraft && <SavedScenarios openId={openId} />}
      <Card title={opened ? `Scenario: ${opened.name}` : 'Välj regelböcker och månad'}>
        {setup.error && <ErrorMessage error={setup.error} />}
        {loadError && <ErrorMessage error={loadError} title="Scenariot kunde inte öppnas" />}
        {setup.loading && <Loading what="regelböckerna" />}
        {setup.data && (
          <form onSubmit={run} className="form-row">
            <SelectField
              label="Nuvarande regelbok (bas)"
              value={baseValue}
              onChange={(v) => {
                setBase(v);
                if (drafting && !opened) setDraft(undefined);
              }}
              options={versions.map((v) => [String(v.id), versionName(v)])}
            />
            <SelectField
              label="Scenario"
              value={scenarioValue}
              onChange={(v) => {
                setScenario(v);
                setScale(undefined);
              }}
              options={scenarioOptions}
              hint="En regelbok för ett annat år tillämpas med sina värden från första giltighetsdagen."
            />
            <SelectField
              label="Månad"
              value={monthValue}
              onChange={setMonth}
              options={months.map((m) => [m, monthLabel(m)])}
              hint="Senaste importens data."
            />
            <fieldset className="rows">
              <legend>Budgetneutralt</legend>
              <CheckboxField
                label="Skala om så att totalen blir densamma som nu"
                role="switch"
                checked={neutral}
                onChange={setNeutral}
              />
              {neutral &&
                (scalable.length === 0 ? (
                  <p className="hint">
                    Alla komponenter utom viten, momskompensation och rader som räknas på andra rader skalas
                    med samma faktor. Välj komponenter efter första simuleringen.
                  </p>
                ) : (
                  <div className="row" role="group" aria-label="Komponenter att skala">
                    {scalable.map((c) => (
                      <label key={c.component} className="field checkbox">
                        <input
                          type="checkbox"
                          checked={scaled(c.component)}
                          onChange={(e) => toggleScaled(c.component, e.target.checked)}
                        />
                        {c.label}
                      </label>
                    ))}
                  </div>
                ))}
            </fieldset>
            <button
              type="submit"
              className="button"
              disabled={busy || versions.length === 0 || (drafting && (!draft || !draftValid))}
            >
              {busy ? 'Simulerar …' : 'Simulera'}
            </button>
          </form>
        )}
        {busy && (
          <p role="status" className="loading">
            Beräknar månaden under båda regelböckerna …
          </p>
        )}
      </Card>

      {drafting && (
        <Card title="Scenariots regelbok">
          <p className="explanation">
            En kopia av basen som bara finns här: ändra belopp, andelar, avgifter och vikter i formuläret
            eller allt annat i texten. Den granskas medan du skriver och publiceras aldrig härifrån.
          </p>
          {draft === undefined ? (
            <Loading what="basens regelbok" />
          ) : (
            <>
              <ScenarioEditor text={draft} onChange={setDraft} onValid={setDraftValid} />
              <div className="actions">
                <button
                  type="button"
                  className="button secondary"
                  onClick={() => void startFromBase(baseValue)}
                >
                  Börja om från basen
                </button>
              </div>
              <SaveScenario
                opened={opened}
                me={me.username}
                disabled={!draftValid}
                body={{
                  base_version_id: Number(baseValue),
                  yaml: draft,
                  budget_neutral: neutral,
                  scale: scale ?? null,
                }}
                onSaved={(s) => {
                  setOpened(s);
                  setQuery({ scenario: String(s.id) });
                }}
              />
            </>
          )}
        </Card>
      )}

      {error && <ErrorMessage error={error} title="Simuleringen kunde inte göras" />}
      {result && <SimulationResults result={result} headingRef={resultRef} />}
    </>
  );
}

/** Saving the draft under a name: over the opened scenario when it is one's own, else as a new one. */
function SaveScenario({
  opened,
  me,
  body,
  disabled,
  onSaved,
}: {
  opened: SavedScenario | undefined;
  me: string;
  body: { base_version_id: number; yaml: string; budget_neutral: boolean; scale: string[] | null };
  disabled: boolean;
  onSaved: (s: SavedScenario) => void;
}) {
  const nameId = useId();
  const [name, setName] = useState(opened?.name ?? '');
  const { busy: saving, error, answer: saved, ask } = useQuestion<SavedScenario>();
  useEffect(() => setName(opened?.name ?? ''), [opened?.name]);
  const own = opened !== undefined && opened.created_by === me;
  const save = async (e: FormEvent) => {
    e.preventDefault();
    const json = { ...body, name };
    await ask(async () => {
      const s = own
        ? await api<SavedScenario>(`/api/simulation-scenarios/${opened.id}`, { method: 'PUT', json })
        : await api<SavedScenario>('/api/simulation-scenarios', { method: 'POST', json });
      onSaved(s);
      return s;
    });
  };
  const link = saved ? `${window.location.origin}/simulering?scenario=${saved.id}` : undefined;
  return (
    <form onSubmit={save} className="form-row" aria-label="Spara scenariot">
      <div className="field">
        <label htmlFor={nameId}>Scenariots namn</label>
        <input id={nameId} value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} />
      </div>
      <button type="submit" className="button secondary" disabled={saving || disabled || name.trim() === ''}>
        {own ? 'Spara scenariot' : opened ? 'Spara som nytt scenario' : 'Spara scenario'}
      </button>
      <div aria-live="polite">
        {saved && link && (
          <p data-testid="scenario-saved">
            Sparat som ”{saved.name}”. Länk att dela med andra handläggare: <a href={link}>{link}</a>
          </p>
        )}
        {error && <ErrorMessage error={error} title="Scenariot kunde inte sparas" />}
      </div>
    </form>
  );
}
