import { createContext, useContext, useEffect, useRef, type ReactNode } from 'react';
import type { ApiError } from '../api';

/**
 * Messages by field (the problem's JSON pointer, `/units/0/kommun`), so each shows beside its field;
 * a summary at the top links to them, as GOV.UK's error summary does.
 */
export type FieldErrors = Map<string, string>;

export function fieldErrorsOf(error: ApiError | undefined): FieldErrors {
  const out: FieldErrors = new Map();
  for (const e of error?.errors ?? []) if (e.pointer && !out.has(e.pointer)) out.set(e.pointer, e.detail);
  return out;
}

/** The id of a field's input, from its pointer: the summary's links lead there. */
export function fieldId(form: string, pointer: string): string {
  return `${form}${pointer.replace(/[^\w-]/g, '_')}`;
}

const FormIdContext = createContext('form');
export const FormIdProvider = FormIdContext.Provider;
export const useFormId = () => useContext(FormIdContext);

export function ErrorSummary({
  title,
  errors,
  labels,
  other,
}: {
  title: string;
  errors: FieldErrors;
  /** A readable name for a pointer ("Kommun (rad 1)"). */
  labels: (pointer: string) => string;
  /** Messages that belong to no field. */
  other?: ReactNode;
}) {
  const form = useFormId();
  const ref = useRef<HTMLDivElement>(null);
  // Shown once per failed attempt (the form unmounts it before trying again): take focus then.
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return (
    <div className="alert error" role="alert" tabIndex={-1} ref={ref}>
      <p className="alert-title">{title}</p>
      {other}
      {errors.size > 0 && (
        <ul>
          {[...errors].map(([pointer, message]) => (
            <li key={pointer}>
              <a href={`#${fieldId(form, pointer)}`}>{labels(pointer)}</a>: {message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Props that tie an input to its message: id, aria-invalid, aria-describedby. */
export function fieldProps(form: string, pointer: string, errors: FieldErrors, hintId?: string) {
  const id = fieldId(form, pointer);
  const message = errors.get(pointer);
  const describedBy = [message ? `${id}-error` : '', hintId ?? ''].join(' ').trim() || undefined;
  return {
    id,
    message,
    input: { id, 'aria-invalid': message ? true : undefined, 'aria-describedby': describedBy },
    error: message ? (
      <span className="field-error" id={`${id}-error`}>
        {message}
      </span>
    ) : null,
  } as const;
}
