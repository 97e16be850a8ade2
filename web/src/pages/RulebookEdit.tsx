import { useEffect, useId, useRef, useState } from 'react';
import { api, ApiError, type ProblemItem, type RulebookVersion } from '../api';
import type { ResponseOf } from '../api/types';
import { ErrorMessage, Loading, PageFailed, PageHeader } from '../components/ui';
import { errorCount, selectLine, YamlErrorList } from '../components/YamlErrors';
import { useApi, useTitle } from '../hooks';
import { navigate, useLocation } from '../router';

type VersionWithYaml = ResponseOf<'/api/rulebooks/{id}', 'get'>;
type Checked = ResponseOf<'/api/rulebooks/validate', 'post'>;

/**
 * Writing a rulebook version: the YAML as the region's staff review it, checked by the same
 * validation as the CLI, with each error a button that takes the cursor to its line. Saving makes a
 * draft (a new version, or the draft being edited); a published version never changes.
 */
export function RulebookEditPage({ params }: { params: { id?: string } }) {
  const { query } = useLocation();
  const editing = params.id;
  const from = editing ?? query.get('fran');
  const source = useApi<VersionWithYaml>(from ? `/api/rulebooks/${encodeURIComponent(from)}` : null);
  const [text, setText] = useState<string | undefined>(from ? undefined : '');
  const [errors, setErrors] = useState<ApiError | undefined>();
  const [checked, setChecked] = useState<Checked | undefined>();
  const [busy, setBusy] = useState(false);
  const area = useRef<HTMLTextAreaElement>(null);
  const result = useRef<HTMLDivElement>(null);
  const fieldId = useId();
  const helpId = useId();
  const errorsId = useId();
  const title = editing ? 'Redigera utkast' : 'Ny version av regelbok';
  useTitle(title);

  useEffect(() => {
    if (source.data && text === undefined) setText(source.data.yaml);
  }, [source.data, text]);

  useEffect(() => {
    if (errors || checked) result.current?.focus();
  }, [errors, checked]);

  const run = async (what: 'check' | 'save') => {
    if (text === undefined) return;
    setBusy(true);
    setErrors(undefined);
    setChecked(undefined);
    try {
      if (what === 'check') {
        setChecked(await api<Checked>('/api/rulebooks/validate', { method: 'POST', json: { yaml: text } }));
      } else {
        const saved = editing
          ? await api<RulebookVersion>(`/api/rulebooks/${encodeURIComponent(editing)}`, {
              method: 'PUT',
              json: { yaml: text },
            })
          : await api<RulebookVersion>('/api/rulebooks', { method: 'POST', json: { yaml: text } });
        navigate(`/regelbocker/${saved.id}`);
      }
    } catch (error) {
      setErrors(error instanceof ApiError ? error : new ApiError(0, 'Något gick fel', String(error)));
    } finally {
      setBusy(false);
    }
  };

  const goTo = (e: ProblemItem) => {
    if (text !== undefined) selectLine(area.current, text, e.line);
  };

  const crumbs = [{ href: '/regelbocker', label: 'Regelböcker' }];
  if (source.error) return <PageFailed title={title} crumbs={crumbs} error={source.error} />;
  if (text === undefined) return <Loading what="regelboken" />;
  const located = errors?.errors ?? [];
  return (
    <>
      <PageHeader
        title={title}
        crumbs={crumbs}
        lead={
          source.data
            ? editing
              ? `${source.data.title}, version ${source.data.version} (utkast)`
              : `Utgår från ${source.data.title}, version ${source.data.version}. Sparas som ett nytt utkast; den publicerade versionen ändras inte.`
            : 'Skriv eller klistra in regelboken som YAML. Den sparas som ett utkast som sedan kan publiceras.'
        }
      />
      <section className="card rulebook-editor" aria-label="Regelbokens text">
        <div className="field">
          <label htmlFor={fieldId}>Regelbok (YAML)</label>
          <p id={helpId} className="hint">
            Formatet beskrivs i regelbokens JSON Schema (<code>schema/rulebook.schema.json</code>). Granska
            visar alla fel med rad och kolumn.
          </p>
          <textarea
            id={fieldId}
            ref={area}
            className="code"
            aria-describedby={located.length > 0 ? `${errorsId} ${helpId}` : helpId}
            aria-invalid={located.length > 0 ? true : undefined}
            spellCheck={false}
            rows={28}
            value={text}
            onChange={(e) => {
              setText(e.target.value);
              setChecked(undefined);
            }}
          />
        </div>
        <div className="actions">
          <button
            type="button"
            className="button secondary"
            disabled={busy}
            onClick={() => void run('check')}
          >
            Granska
          </button>
          <button type="button" className="button" disabled={busy} onClick={() => void run('save')}>
            {busy ? 'Arbetar …' : 'Spara utkast'}
          </button>
        </div>
      </section>
      <div ref={result} tabIndex={-1} aria-live="polite">
        {checked && (
          <div className="alert info" role="status">
            <p className="alert-title">Regelboken är giltig</p>
            <p>
              {checked.title} (<code>{checked.rulebook_id}</code>) kan sparas.
            </p>
          </div>
        )}
        {errors && located.length === 0 && <ErrorMessage error={errors} />}
        {located.length > 0 && (
          <div className="alert error" role="alert" id={errorsId} data-testid="rulebook-errors">
            <p className="alert-title">{errorCount(located)} i regelboken</p>
            <YamlErrorList errors={located} onGoTo={goTo} />
          </div>
        )}
      </div>
    </>
  );
}
