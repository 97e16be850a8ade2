import { useEffect, useState } from 'react';
import type { Schemas, UnitStatement } from '../api/types';
import { ContractSplit } from '../components/Contracts';
import { Card, ErrorMessage, Loading, PageHeader, StatusBadge } from '../components/ui';
import { count, kr, monthLabel, num, orgNr, ownershipLabel } from '../format';
import { useApi, useTitle } from '../hooks';
import { Link } from '../router';
import { ExportLinks } from './Run';
import { StatementDerivation } from './StatementDerivation';
import { AskForm, QuestionThreads, type QuestionThread } from './StatementQuestions';
import { can, useSession } from '../session';
import { TableHead } from '../components/TableHead';

type History = Schemas['UiUnitStatements'];

export function StatementPage({ params }: { params: { runId: string; unitId: string } }) {
  const runId = Number(params.runId);
  const unitId = params.unitId;
  const statement = useApi<UnitStatement>(`/api/runs/${runId}/statements/${encodeURIComponent(unitId)}`);
  const history = useApi<History>(`/api/ui/units/${encodeURIComponent(unitId)}/statements`);
  const run = history.data?.items.find((i) => i.run_id === runId);
  const s = statement.data;
  const { me } = useSession();
  const readsQuestions = me.role === 'provider' || can(me.role, 'changeRuns');
  const questions = useApi<{ items: QuestionThread[] }>(
    readsQuestions ? `/api/runs/${runId}/statements/${encodeURIComponent(unitId)}/questions` : null,
  );
  const [asking, setAsking] = useState<string | undefined>();
  // A link from Att hantera (#fraga-12) lands on the question once the threads are shown.
  const threadsShown = (questions.data?.items.length ?? 0) > 0;
  useEffect(() => {
    const id = window.location.hash.slice(1);
    if (!threadsShown || !id.startsWith('fraga-')) return;
    const timer = window.setTimeout(() => document.getElementById(id)?.scrollIntoView({ block: 'start' }), 0);
    return () => window.clearTimeout(timer);
  }, [threadsShown]);
  const mayAsk = me.role === 'provider' && run?.status === 'approved';
  const openOn = new Set(
    (questions.data?.items ?? []).filter((q) => q.status === 'open').map((q) => q.component),
  );
  const title = s ? s.name : `Underlag för ${unitId}`;
  useTitle(s && run ? `${s.name}, ${monthLabel(run.month)}` : title);
  const crumbs = [
    { href: '/utbetalningar', label: 'Utbetalningar' },
    {
      href: `/utbetalningar/${runId}`,
      label: run ? `${monthLabel(run.month)} (körning ${runId})` : `Körning ${runId}`,
    },
  ];

  if (statement.error)
    return (
      <>
        <PageHeader title={title} crumbs={crumbs} />
        <ErrorMessage error={statement.error} />
      </>
    );
  if (!s) return <Loading what="underlaget" />;

  return (
    <>
      <PageHeader
        title={s.name}
        crumbs={crumbs}
        lead={
          <>
            Utbetalningsunderlag {run ? monthLabel(run.month) : ''} · körning {runId}
            {run && (
              <>
                {' '}
                · <StatusBadge status={run.status} />
              </>
            )}
          </>
        }
      >
        <ExportLinks runId={runId} unit={s.unit_id} label="Ladda ned enhetens underlag" />
      </PageHeader>

      <section className="card" aria-labelledby="facts-heading">
        <h2 id="facts-heading" className="visually-hidden">
          Enheten
        </h2>
        <dl className="facts">
          <dt>HSA-id</dt>
          <dd>
            <Link href={`/enheter/${encodeURIComponent(s.unit_id)}`}>{s.unit_id}</Link>
          </dd>
          <dt>Vårdgivare (org.nr)</dt>
          <dd>{orgNr(s.provider_id)}</dd>
          <dt>Ägarform</dt>
          <dd>{ownershipLabel(s.ownership)}</dd>
          <dt>Listade på brytdagen</dt>
          <dd>{num(s.listed)}</dd>
          <dt>Att betala</dt>
          <dd>
            <strong data-testid="statement-total">{kr(s.total_ore)}</strong>
          </dd>
        </dl>
      </section>

      <ContractSplit contract={s.contract} />

      <Card title="Rader och förklaringar">
        <p>
          Varje rad visar vad som räknades, med vilka värden ur regelboken, och hur beloppet blev till. Öppna
          härledningen för stegen och källan i förfrågningsunderlaget.
        </p>
        <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="lines-caption">
          <table data-testid="statement-lines">
            <caption id="lines-caption" className="visually-hidden">
              Underlagets rader med förklaring
            </caption>
            <TableHead
              columns={['Komponent', 'Antal', 'Belopp', 'Förklaring']}
              numeric={['Antal', 'Belopp']}
            />
            <tbody>
              {s.lines.map((l) => (
                <tr key={l.component}>
                  <th scope="row">
                    {l.label}
                    <br />
                    <code className="explanation">{l.component}</code>
                  </th>
                  <td className="num">{num(l.quantity)}</td>
                  <td className="num">{kr(l.amount_ore)}</td>
                  <td className="explanation wrap">
                    {l.explanation}
                    <StatementDerivation line={l} versionId={run?.rulebook_version_id} />
                    {mayAsk &&
                      (openOn.has(l.component) ? (
                        <p className="hint">Raden är ifrågasatt och väntar på svar.</p>
                      ) : asking === l.component ? (
                        <AskForm
                          runId={runId}
                          unitId={s.unit_id}
                          component={l.component}
                          label={l.label}
                          onCancel={() => setAsking(undefined)}
                          onDone={() => {
                            setAsking(undefined);
                            questions.reload();
                          }}
                        />
                      ) : (
                        <button
                          type="button"
                          className="button secondary small"
                          onClick={() => setAsking(l.component)}
                          aria-label={`Ifrågasätt raden ${l.label}`}
                        >
                          Ifrågasätt raden
                        </button>
                      ))}
                  </td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">Summa</th>
                <td />
                <td className="num">{kr(s.total_ore)}</td>
                <td>{count(s.lines.length, 'rad', 'rader')}</td>
              </tr>
            </tfoot>
          </table>
        </div>
      </Card>

      <QuestionThreads
        threads={questions.data?.items ?? []}
        mayAnswer={can(me.role, 'changeRuns')}
        onChanged={questions.reload}
      />
    </>
  );
}
