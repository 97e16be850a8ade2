import { useId } from 'react';
import { ErrorMessage, Loading } from '../../components/ui';
import { useApi } from '../../hooks';

interface Release {
  id: string;
  date: string;
  tag: string[];
  awards?: { id: string; status: string; suppliers?: { name: string }[] }[];
  contracts?: { id: string; status: string; period?: { startDate: string; endDate: string } }[];
}

const TAG: Record<string, string> = { tender: 'Annons', award: 'Tilldelning', contract: 'Kontrakt' };
const STATUS: Record<string, string> = {
  pending: 'under avtalsspärr',
  active: 'gällande',
  cancelled: 'avbruten',
  unsuccessful: 'utan tilldelning',
  terminated: 'avslutat',
};

/** The procedure as open data (OCDS 1.1): each release the public can read, without login. */
export function OcdsCard({ procedureId }: { procedureId: number }) {
  const pkg = useApi<{ releases: Release[] }>(`/api/ocds/packages/${procedureId}`);
  const ids = useId();
  return (
    <section className="card" aria-labelledby={`${ids}-heading`}>
      <h2 id={`${ids}-heading`}>Öppna data (OCDS)</h2>
      {pkg.error && <ErrorMessage error={pkg.error} />}
      {pkg.loading && <Loading what="öppna data" />}
      {pkg.data && (
        <ul>
          {pkg.data.releases.map((r) => (
            <li key={r.id}>
              {r.tag.map((t) => TAG[t] ?? t).join(', ')} {r.date.slice(0, 10)}
              {r.awards && r.tag.includes('award')
                ? `: ${r.awards
                    .map(
                      (a) =>
                        `${a.suppliers?.map((s) => s.name).join(', ') ?? a.id} (${STATUS[a.status] ?? a.status})`,
                    )
                    .join('; ')}`
                : ''}
              {r.contracts
                ? `: ${r.contracts
                    .map(
                      (c) =>
                        `kontrakt ${STATUS[c.status] ?? c.status}${c.period ? ` ${c.period.startDate.slice(0, 10)}–${c.period.endDate.slice(0, 10)}` : ''}`,
                    )
                    .join('; ')}`
                : ''}
            </li>
          ))}
        </ul>
      )}
      <p>
        <a href={`/api/ocds/packages/${procedureId}`}>Releasepaketet som JSON</a> ·{' '}
        <a href="/api/ocds">Alla förfaranden som öppna data</a>
      </p>
    </section>
  );
}
