import { useMemo, useState } from 'react';
import type { RunDetail, Schemas } from '../api/types';
import { DataTable, type Column } from '../components/DataTable';
import { Card, Diff, ErrorMessage, Loading } from '../components/ui';
import { kr, krDiff, monthLabel, num } from '../format';
import { useApi } from '../hooks';
import { Link } from '../router';
import { amountColumn, nameColumn } from '../components/columns';
import { CheckboxField } from '../components/TextField';

export type RunReviewData = Schemas['RunReview'];
type UnitReview = RunReviewData['units'][number];
type Flag = UnitReview['flags'][number];

const percentFormat = new Intl.NumberFormat('sv-SE', {
  maximumFractionDigits: 1,
  minimumFractionDigits: 1,
  signDisplay: 'exceptZero',
});

function changePercent(value: number | null): string {
  return value === null ? '–' : `${percentFormat.format(value)} %`;
}

/** The change from the month before in per cent, as a column. */
function percentColumn(): Column<{ change_percent: number | null }> {
  return {
    key: 'percent',
    header: 'Ändring %',
    value: (r) => r.change_percent,
    render: (r) => changePercent(r.change_percent),
    numeric: true,
  };
}

function flagLabel(flag: Flag, threshold: number): string {
  const t = num(threshold);
  return {
    threshold: `mer än ±${t} %`,
    new: 'ny enhet',
    gone: 'finns inte längre',
    negative: 'negativ summa',
  }[flag];
}

/**
 * The review before approval: each unit beside the last approved month, the flagged ones first,
 * and any unit's components on request. Each unit's name opens its statement with the explanations.
 */
export function RunReview({ run }: { run: RunDetail }) {
  const review = useApi<RunReviewData>(`/api/runs/${run.id}/review`);
  const [onlyFlagged, setOnlyFlagged] = useState(true);
  const [open, setOpen] = useState<string | undefined>();
  const data = review.data;
  const rows = useMemo(
    () => (data ? (onlyFlagged ? data.units.filter((u) => u.flags.length > 0) : data.units) : []),
    [data, onlyFlagged],
  );
  if (review.error) return <ErrorMessage error={review.error} title="Granskningen kunde inte läsas" />;
  if (!data) return <Loading what="granskningen" />;
  const openUnit = data.units.find((u) => u.unit_id === open);
  const before = data.compared_with;

  const columns: Column<UnitReview>[] = [
    {
      key: 'name',
      header: 'Enhet',
      value: (u) => u.name,
      rowHeader: true,
      render: (u) =>
        u.now_ore === null ? (
          u.name
        ) : (
          <Link href={`/utbetalningar/${run.id}/enheter/${encodeURIComponent(u.unit_id)}`}>{u.name}</Link>
        ),
    },
    {
      key: 'flags',
      header: 'Flaggor',
      value: (u) => u.flags.length,
      render: (u) =>
        u.flags.length === 0 ? (
          '–'
        ) : (
          <span className="flags">
            {u.flags.map((f) => (
              <span key={f} className={`badge flag-${f}`}>
                {flagLabel(f, data.threshold_percent)}
              </span>
            ))}
          </span>
        ),
    },
    {
      key: 'now',
      header: monthLabel(data.month),
      value: (u) => u.now_ore,
      render: (u) => (u.now_ore === null ? '–' : kr(u.now_ore)),
      numeric: true,
    },
    {
      key: 'before',
      header: before ? monthLabel(before.month) : 'Förra',
      value: (u) => u.before_ore,
      render: (u) => (u.before_ore === null ? '–' : kr(u.before_ore)),
      numeric: true,
    },
    {
      key: 'change',
      header: 'Ändring',
      value: (u) => u.change_ore,
      render: (u) => (u.change_ore === null ? '–' : <Diff ore={u.change_ore}>{krDiff(u.change_ore)}</Diff>),
      numeric: true,
    },
    percentColumn(),
    {
      key: 'components',
      header: 'Komponenter',
      sortable: false,
      render: (u) => (
        <button
          type="button"
          className="button secondary small"
          aria-expanded={open === u.unit_id}
          aria-controls="review-components"
          onClick={() => setOpen(open === u.unit_id ? undefined : u.unit_id)}
        >
          {open === u.unit_id ? 'Dölj' : 'Visa'}
          <span className="visually-hidden"> komponenter för {u.name}</span>
        </button>
      ),
    },
  ];

  return (
    <Card title="Granskning före godkännande" testId="run-review">
      {before ? (
        <p>
          Jämfört med senast godkända månad, {monthLabel(before.month)}: <strong>{kr(data.now_ore)}</strong>{' '}
          mot {kr(data.before_ore ?? 0)} (
          <Diff ore={data.now_ore - (data.before_ore ?? 0)}>
            {krDiff(data.now_ore - (data.before_ore ?? 0))}
          </Diff>
          ). <strong data-testid="review-flagged">{num(data.flagged)}</strong>{' '}
          {data.flagged === 1 ? 'enhet är flaggad' : 'enheter är flaggade'}: ändrade mer än ±
          {num(data.threshold_percent)} %, nya, borta eller med negativ summa.
        </p>
      ) : (
        <p>
          Ingen tidigare månad är godkänd att jämföra med. <strong>{num(data.flagged)}</strong>{' '}
          {data.flagged === 1 ? 'enhet har' : 'enheter har'} negativ summa.
        </p>
      )}
      <CheckboxField label="Visa bara flaggade enheter" checked={onlyFlagged} onChange={setOnlyFlagged} />
      <DataTable
        caption={`Enheterna ${monthLabel(data.month)} mot ${before ? monthLabel(before.month) : 'ingen godkänd månad'}`}
        captionHidden
        columns={columns}
        rows={rows}
        rowKey={(u) => u.unit_id}
        empty="Inga flaggade enheter."
        testId="review-units"
      />
      <div id="review-components" aria-live="polite">
        {openUnit && (
          <DataTable
            caption={`Komponenter för ${openUnit.name}`}
            columns={[
              nameColumn('label', 'Komponent', 'label'),
              amountColumn('now', monthLabel(data.month), 'now_ore'),
              amountColumn('before', before ? monthLabel(before.month) : 'Förra', 'before_ore'),
              {
                key: 'change',
                header: 'Ändring',
                value: (c) => c.change_ore,
                render: (c) => <Diff ore={c.change_ore ?? 0}>{krDiff(c.change_ore ?? 0)}</Diff>,
                numeric: true,
              },
              percentColumn(),
            ]}
            rows={openUnit.components}
            rowKey={(c) => c.component}
            testId="review-components"
          />
        )}
      </div>
    </Card>
  );
}
