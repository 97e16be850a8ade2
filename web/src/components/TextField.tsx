import { useId, type HTMLInputTypeAttribute, type ReactNode } from 'react';

/** The aria-describedby of a field's control: its hint and its message, when it has them. */
export function describedBy(id: string, hint?: ReactNode, error?: string): string | undefined {
  return [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
}

/**
 * A labelled field: the label, a hint and the server's message around one control (`id` is the
 * control's; the hint and message take ids from it, see describedBy).
 */
export function Field({
  id,
  label,
  hint,
  error,
  children,
}: {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  children: ReactNode;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint && (
        <span className="hint" id={`${id}-hint`}>
          {hint}
        </span>
      )}
      {children}
      {error && (
        <span className="field-error" id={`${id}-error`}>
          {error}
        </span>
      )}
    </div>
  );
}

/**
 * A labelled text input (or text area) that shows the server's message for its field under it,
 * marked invalid, so a refusal is read where the mistake is.
 */
export function TextField({
  label,
  value,
  onChange,
  error,
  hint,
  type = 'text',
  inputMode,
  rows,
  readOnly,
  name,
  autoComplete,
  required,
  maxLength,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string;
  hint?: string;
  type?: HTMLInputTypeAttribute;
  inputMode?: 'numeric' | 'decimal' | 'email' | 'url';
  /** A text area of this many rows instead of one line. */
  rows?: number;
  readOnly?: boolean;
  name?: string;
  autoComplete?: string;
  /** Required, said to screen readers too. */
  required?: boolean;
  maxLength?: number;
}) {
  const id = useId();
  const common = {
    id,
    name,
    value,
    readOnly,
    required,
    maxLength,
    'aria-required': required ? 'true' : undefined,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': describedBy(id, hint, error),
  } as const;
  return (
    <Field id={id} label={label} hint={hint} error={error}>
      {rows ? (
        <textarea {...common} rows={rows} onChange={(e) => onChange(e.target.value)} />
      ) : (
        <input
          {...common}
          type={type}
          inputMode={inputMode}
          autoComplete={autoComplete}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
    </Field>
  );
}

/** A labelled checkbox (or a switch, which screen readers announce as on or off). */
export function CheckboxField({
  label,
  checked,
  onChange,
  role,
}: {
  label: ReactNode;
  checked: boolean;
  onChange: (checked: boolean) => void;
  role?: 'switch';
}) {
  const id = useId();
  return (
    <div className="field checkbox">
      <input
        id={id}
        type="checkbox"
        role={role}
        checked={checked}
        onChange={(e) => onChange(e.target.checked)}
      />
      <label htmlFor={id}>{label}</label>
    </div>
  );
}
