import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api, ApiError, errorAt } from './api';

export interface Loaded<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  reload: () => void;
}

/**
 * Loads a value for the page; reloads when `key` changes, keeping the previous value on screen
 * meanwhile; ignores answers that arrive too late.
 */
export function useLoad<T>(key: string | null, load: (signal: AbortSignal) => Promise<T>): Loaded<T> {
  const [state, setState] = useState<{ key: string | null; data?: T; error?: ApiError; loading: boolean }>({
    key,
    loading: key !== null,
  });
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    if (key === null) return;
    const controller = new AbortController();
    // The previous answer stays on screen while the next loads (a filter or month changed).
    setState((s) => ({ key, data: s.data, loading: true }));
    load(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ key, data, loading: false });
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        const e =
          error instanceof ApiError
            ? error
            : new ApiError(0, 'Något gick fel', error instanceof Error ? error.message : String(error));
        setState({ key, error: e, loading: false });
      },
    );
    return () => controller.abort();
    // `load` is recreated each render; `key` says when to load again.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, generation]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  const current = state.key === key;
  return {
    data: state.data,
    error: current ? state.error : undefined,
    loading: key !== null && (!current || state.loading),
    reload,
  };
}

/** GET a JSON path; null skips loading. */
export function useApi<T>(path: string | null): Loaded<T> {
  return useLoad<T>(path, (signal) => api<T>(path!, { signal }));
}

/** Sets the document title and returns nothing; every page names itself. */
export function useTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} – Vårdval`;
  }, [title]);
}

/** An error as a page shows it: the server's ApiError, or any other failure in its words. */
export const asApiError = (e: unknown): ApiError =>
  e instanceof ApiError ? e : new ApiError(0, 'Något gick fel', String(e));

type Said<T> = string | undefined | ((answer: T) => string | undefined);

export interface Action {
  busy: boolean;
  /** The server's refusal of the last write, in its words. */
  error: ApiError | undefined;
  /** What the last write did, to announce; undefined until one succeeds. */
  done: string | undefined;
  /**
   * Runs a write, busy meanwhile; `what` (or what it makes of the answer) is said when it succeeds.
   * Gives the answer, or undefined when the write failed.
   */
  run: <T>(what: Said<T>, call: () => Promise<T>) => Promise<T | undefined>;
}

/** One write at a time from a form: busy while it runs, then what was done or the server's refusal. */
export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();
  const [done, setDone] = useState<string | undefined>();
  const run = useCallback(async <T>(what: Said<T>, call: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    setError(undefined);
    setDone(undefined);
    try {
      const result = await call();
      setDone(typeof what === 'function' ? what(result) : what);
      return result;
    } catch (err) {
      setError(asApiError(err));
      return undefined;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, done, run };
}

export interface Submission extends Action {
  /** Runs the form's action (the event's default prevented); a sentence it answers is what was done. */
  submit: (event?: FormEvent) => Promise<void>;
}

/** A form that sends something to the server: busy while it runs, the server's refusal when it fails. */
export function useSubmit(action: () => Promise<string | void>): Submission {
  const state = useAction();
  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    await state.run((said) => said || undefined, action);
  };
  return { ...state, submit };
}

/**
 * A form's text fields as one record. `bind(key)` ties a TextField to its value and to the server's
 * message for it, at `base/key` in the request (or at `pointer`).
 */
export function useFields<T extends Record<string, string>>(
  initial: T,
  error: ApiError | undefined,
  base = '',
) {
  const [values, setValues] = useState(initial);
  const bind = (key: keyof T & string, pointer = `${base}/${key}`) => ({
    value: values[key],
    onChange: (value: string) => setValues((v) => ({ ...v, [key]: value })),
    error: errorAt(error, pointer),
  });
  return { values, setValues, bind };
}

/**
 * A question to the server whose answer the page shows (a simulation, a what-if): busy while it is
 * asked, and the last answer, cleared when a question fails.
 */
export function useQuestion<T>() {
  const { run, ...state } = useAction();
  const [answer, setAnswer] = useState<T | undefined>();
  const ask = async (call: () => Promise<T>) => setAnswer(await run(undefined, call));
  return { ...state, answer, setAnswer, ask };
}
