import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { api, ApiError, type ProblemItem } from '../../api';
import { describedBy, Field } from '../../components/TextField';
import { errorCount, selectLine, YamlErrorList } from '../../components/YamlErrors';
import { parameterGroups, withParameter, type ParameterField, type Path } from './parameters';

const shown = (n: number) => String(n).replace('.', ',');

/** "2 400", "0,5" and "0.5" alike; undefined when it is no number of at least zero. */
function parseNumber(text: string): number | undefined {
  const t = text.replace(/[\s\u00a0]/g, '').replace(',', '.');
  if (!/^\d+(\.\d+)?$/.test(t)) return undefined;
  return Number(t);
}

function NumberInput({
  field,
  onChange,
}: {
  field: ParameterField;
  onChange: (path: Path, v: number) => void;
}) {
  const id = useId();
  const [text, setText] = useState(shown(field.value));
  // The text follows the rulebook when the YAML is edited, unless it already says the same.
  useEffect(() => {
    setText((t) => (parseNumber(t) === field.value ? t : shown(field.value)));
  }, [field.value]);
  const error =
    parseNumber(text) === undefined
      ? 'Skriv ett tal som är noll eller större, till exempel 2400 eller 0,5'
      : undefined;
  return (
    <Field id={id} label={field.label} error={error}>
      <input
        id={id}
        inputMode="decimal"
        value={text}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, undefined, error)}
        onChange={(e) => {
          setText(e.target.value);
          const n = parseNumber(e.target.value);
          if (n !== undefined) onChange(field.path, n);
        }}
      />
    </Field>
  );
}

type Check =
  { state: 'checking' } | { state: 'valid'; title: string } | { state: 'invalid'; error: ApiError };

/**
 * A scenario's rulebook: a form for the common parameters (amounts, shares, fee rows, weights) and
 * the YAML for the rest, one text behind both, checked against the server's validation as the
 * officer types (the same check as the rulebook editor's Granska).
 */
export function ScenarioEditor({
  text,
  onChange,
  onValid,
}: {
  text: string;
  onChange: (text: string) => void;
  /** Whether the text is a valid rulebook, once checked. */
  onValid: (valid: boolean) => void;
}) {
  const groups = useMemo(() => parameterGroups(text), [text]);
  const [check, setCheck] = useState<Check>({ state: 'checking' });
  const area = useRef<HTMLTextAreaElement>(null);
  const yamlId = useId();
  const errorsId = useId();

  useEffect(() => {
    const controller = new AbortController();
    setCheck({ state: 'checking' });
    const timer = setTimeout(() => {
      api<{ title: string }>('/api/rulebooks/validate', {
        method: 'POST',
        json: { yaml: text },
        signal: controller.signal,
      }).then(
        (r) => setCheck({ state: 'valid', title: r.title }),
        (error: unknown) => {
          if (controller.signal.aborted) return;
          setCheck({
            state: 'invalid',
            error: error instanceof ApiError ? error : new ApiError(0, 'Något gick fel', String(error)),
          });
        },
      );
    }, 400);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [text]);

  useEffect(() => onValid(check.state === 'valid'), [check.state, onValid]);

  const goTo = (e: ProblemItem) => selectLine(area.current, text, e.line);
  const located = check.state === 'invalid' ? (check.error.errors ?? []) : [];

  return (
    <div className="scenario-editor">
      <h3>Parametrar</h3>
      {groups === undefined ? (
        <p className="hint">Texten är inte giltig YAML; rätta den nedan så visas parametrarna igen.</p>
      ) : (
        groups.map((g) => (
          <details key={g.component} data-testid={`parameters-${g.component}`}>
            <summary>
              {g.title} ({g.fields.length} {g.fields.length === 1 ? 'parameter' : 'parametrar'})
            </summary>
            <fieldset className="rows">
              <legend className="visually-hidden">{g.title}</legend>
              <div className="parameter-grid">
                {g.fields.map((f) => (
                  <NumberInput
                    key={f.path.join('/')}
                    field={f}
                    onChange={(path, v) => onChange(withParameter(text, path, v))}
                  />
                ))}
              </div>
            </fieldset>
          </details>
        ))
      )}
      <details>
        <summary>Regelboken som YAML (allt annat)</summary>
        <div className="field">
          <label htmlFor={yamlId}>Scenariots regelbok (YAML)</label>
          <textarea
            id={yamlId}
            ref={area}
            className="code"
            rows={20}
            spellCheck={false}
            value={text}
            aria-invalid={located.length > 0 || undefined}
            aria-describedby={located.length > 0 ? errorsId : undefined}
            onChange={(e) => onChange(e.target.value)}
          />
        </div>
      </details>
      <div aria-live="polite" data-testid="scenario-check">
        {check.state === 'checking' && <p className="hint">Granskar …</p>}
        {check.state === 'valid' && <p className="hint">Regelboken är giltig.</p>}
        {check.state === 'invalid' && (
          <div className="alert error" id={errorsId}>
            <p className="alert-title">
              {located.length === 0
                ? check.error.detail || check.error.title
                : `${errorCount(located)} i scenariots regelbok`}
            </p>
            {located.length > 0 && <YamlErrorList errors={located} onGoTo={goTo} />}
          </div>
        )}
      </div>
    </div>
  );
}
