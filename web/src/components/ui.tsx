import { useEffect, useId, useRef, type ReactNode } from 'react';
import type { ApiError } from '../api';
import { RUN_STATUS } from '../format';
import type { Loaded } from '../hooks';
import { Link } from '../router';
import { describedBy, Field } from './TextField';

/** The page's heading; it takes focus after navigation so screen readers announce the new page. */
export function PageHeader({
  title,
  lead,
  crumbs,
  children,
}: {
  title: string;
  lead?: ReactNode;
  crumbs?: { href: string; label: string }[];
  children?: ReactNode;
}) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    // A new page (each path mounts its own) takes focus after an in-app navigation, not on the
    // first load, and not when a filter on the same page changes.
    if (document.body.dataset.navigated === '1') ref.current?.focus({ preventScroll: false });
  }, []);
  return (
    <>
      {crumbs && crumbs.length > 0 && (
        <nav className="breadcrumbs" aria-label="Du är här">
          <ol>
            {crumbs.map((c) => (
              <li key={c.href}>
                <Link href={c.href}>{c.label}</Link>
              </li>
            ))}
            <li aria-current="page">{title}</li>
          </ol>
        </nav>
      )}
      <div className="page-header">
        <div>
          <h1 ref={ref} tabIndex={-1}>
            {title}
          </h1>
          {lead && <p className="lead">{lead}</p>}
        </div>
        {children && <div className="actions">{children}</div>}
      </div>
    </>
  );
}

export function ErrorMessage({ error, title }: { error: ApiError; title?: string }) {
  // An item that only repeats the detail is not said twice.
  const items = error.errors.filter((e) => e.detail !== error.detail);
  return (
    <div className="alert error" role="alert">
      <p className="alert-title">{title ?? error.title}</p>
      {title && <p>{error.title}</p>}
      {error.detail && <p>{error.detail}</p>}
      {items.length > 0 && (
        <ul className="error-list">
          {items.map((e, i) => (
            <li key={i}>{e.detail}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function Loading({ what = 'uppgifterna' }: { what?: string }) {
  return (
    <p className="loading" role="status">
      Hämtar {what} …
    </p>
  );
}

/**
 * A loaded value's three states as every page shows them: the error, "Hämtar …" while it loads (the
 * previous value stays on screen meanwhile), and `children` with the value once it is there.
 */
export function WhenLoaded<T>({
  state,
  what,
  children,
}: {
  state: Loaded<T>;
  what: string;
  children: (data: T) => ReactNode;
}) {
  return (
    <>
      {state.error && <ErrorMessage error={state.error} />}
      {state.loading && <Loading what={what} />}
      {state.data !== undefined && children(state.data)}
    </>
  );
}

export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge ${status}`}>{RUN_STATUS[status] ?? status}</span>;
}

export function Stat({ label, value, sub }: { label: string; value: ReactNode; sub?: ReactNode }) {
  return (
    <div className="stat">
      <dt>{label}</dt>
      <dd>
        {value}
        {sub && <span className="sub">{sub}</span>}
      </dd>
    </div>
  );
}

/** A labelled select; options as [value, text]. */
export function SelectField({
  label,
  value,
  onChange,
  options,
  hint,
  id,
  error,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  options: [string, string][];
  hint?: string;
  id?: string;
  /** The server's message for this field. */
  error?: string;
}) {
  const auto = useId();
  const fieldId = id ?? auto;
  return (
    <Field id={fieldId} label={label} hint={hint} error={error}>
      <select
        id={fieldId}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(fieldId, hint, error)}
      >
        {options.map(([v, t]) => (
          <option key={v} value={v}>
            {t}
          </option>
        ))}
      </select>
    </Field>
  );
}

/** An amount with its sign coloured (and spelled out for screen readers by the sign itself). */
export function Diff({ ore, children }: { ore: number; children: ReactNode }) {
  return <span className={ore > 0 ? 'pos' : ore < 0 ? 'neg' : undefined}>{children}</span>;
}

/** What came of a form's write: the server's refusal under `failed`, or what was done (said politely). */
export function Feedback({
  action,
  failed,
}: {
  action: { error?: ApiError; done?: string };
  /** The alert's title when the write was refused. */
  failed: string;
}) {
  if (action.error) return <ErrorMessage error={action.error} title={failed} />;
  if (action.done)
    return (
      <div className="alert info" role="status">
        <p>{action.done}</p>
      </div>
    );
  return null;
}

/** A form's send button, disabled while the write runs or while the form is not ready. */
export function SubmitButton({
  busy,
  disabled,
  children,
}: {
  busy: boolean;
  disabled?: boolean;
  children: ReactNode;
}) {
  return (
    <div>
      <button type="submit" className="button" disabled={busy || disabled}>
        {children}
      </button>
    </div>
  );
}

/** A small secondary button that is not the form's send: add or remove a row. */
export function SmallButton({ onClick, children }: { onClick: () => void; children: ReactNode }) {
  return (
    <button type="button" className="button secondary small" onClick={onClick}>
      {children}
    </button>
  );
}

/** A card with its heading, named by it (a region for screen readers). */
export function Card({
  title,
  testId,
  children,
}: {
  title: ReactNode;
  testId?: string;
  children: ReactNode;
}) {
  const id = useId();
  return (
    <section className="card" aria-labelledby={id} data-testid={testId}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

/** A page that could not be read: its heading (and way back), and the server's reason. */
export function PageFailed({
  title,
  crumbs,
  error,
}: {
  title: string;
  crumbs?: { href: string; label: string }[];
  error: ApiError;
}) {
  return (
    <>
      <PageHeader title={title} crumbs={crumbs} />
      <ErrorMessage error={error} />
    </>
  );
}
