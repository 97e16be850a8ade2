import { useCallback, useState } from 'react';
import { ApiError } from '../../api';
import { ErrorMessage } from '../../components/ui';

/**
 * One write from a form: busy while it runs, then either what was done (announced politely) or the
 * server's refusal, in Swedish, as the API words it.
 */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();
  const [done, setDone] = useState<string | undefined>();
  const run = useCallback(async <T,>(what: string, call: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    setError(undefined);
    setDone(undefined);
    try {
      const result = await call();
      setDone(what);
      return result;
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, 'Något gick fel', String(e)));
      return undefined;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, done, run };
}

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
