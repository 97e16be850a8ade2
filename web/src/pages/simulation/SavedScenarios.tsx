import { DataTable } from '../../components/DataTable';
import { Card, ErrorMessage, Loading } from '../../components/ui';
import { useApi } from '../../hooks';
import { Link } from '../../router';
import type { Schemas } from '../../api/types';
import { timeColumn } from '../../components/columns';

export type SavedScenario = Schemas['SimulationScenario'];

/** The region's saved what-if scenarios; each opens by its link, which can be shared. */
export function SavedScenarios({ openId }: { openId: string | null }) {
  const list = useApi<{ items: Omit<SavedScenario, 'yaml'>[] }>(
    `/api/simulation-scenarios?v=${openId ?? ''}`,
  );
  return (
    <Card title="Sparade scenarier">
      {list.error && <ErrorMessage error={list.error} />}
      {list.loading && <Loading what="scenarierna" />}
      {list.data &&
        (list.data.items.length === 0 ? (
          <p className="hint">
            Inga sparade scenarier än. Välj en ändrad kopia som scenario nedan och spara den.
          </p>
        ) : (
          <DataTable
            caption="Sparade scenarier"
            captionHidden
            rows={list.data.items}
            rowKey={(s) => String(s.id)}
            testId="saved-scenarios"
            columns={[
              {
                key: 'name',
                header: 'Scenario',
                value: (s) => s.name,
                render: (s) => (
                  <Link
                    href={`/simulering?scenario=${s.id}`}
                    aria-current={String(s.id) === openId || undefined}
                  >
                    {s.name}
                  </Link>
                ),
                rowHeader: true,
              },
              { key: 'by', header: 'Sparat av', value: (s) => s.created_by },
              timeColumn('at', 'Senast sparat', 'updated_at'),
              {
                key: 'neutral',
                header: 'Budgetneutralt',
                value: (s) => (s.budget_neutral ? 'ja' : 'nej'),
              },
            ]}
          />
        ))}
    </Card>
  );
}
