import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api, ApiError } from './api';

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

export interface Submission {
  busy: boolean;
  error: ApiError | undefined;
  /** Runs the form's action (the event's default prevented), busy meanwhile, the error kept. */
  submit: (event?: FormEvent) => Promise<void>;
}

/** A form that sends something to the server: busy while it runs, the server's refusal when it fails. */
export function useSubmit(action: () => Promise<void>): Submission {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();
  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await action();
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, submit };
}
