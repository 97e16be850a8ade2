import type { StatementLine } from '../api';
import { kr, num } from '../format';
import { Link } from '../router';
import { TableHead } from '../components/TableHead';

/** A rate as the derivation states it: `350 kr`, `6 %`, `2 400 kr per år ÷ 12`, `0,5`. */
function rateText(rate: number | undefined, unit: string | undefined): string {
  if (rate === undefined) return '';
  if (unit === '%') return `${num(Math.round(rate * 1e8) / 1e6)} %`;
  return `${num(rate)}${unit ? ` ${unit}` : ''}`;
}

function resultText(result: number | undefined, unit: string | undefined): string {
  if (result === undefined) return '';
  if (unit === '%') return Number.isNaN(result) ? 'saknas' : `${num(Math.round(result * 10000) / 100)} %`;
  return `${num(result)}${unit ? ` ${unit}` : ''}`;
}

/** The anchor of a component's section in the rulebook's readable document. */
export function sourceHref(versionId: number, component: string): string {
  return `/regelbocker/${versionId}#c-${encodeURIComponent(component)}`;
}

/**
 * A line's derivation as a small table (step, quantity, rate or weight, the date the value took
 * effect, result and amount), and the rule's source as a link to its section of the rulebook.
 */
export function StatementDerivation({
  line,
  versionId,
}: {
  line: StatementLine;
  versionId: number | undefined;
}) {
  const d = line.derivation;
  const ruleInBook = versionId !== undefined && !line.component.startsWith('sanktion-');
  return (
    <details className="derivation" data-testid={`derivation-${line.component}`}>
      <summary>Härledning och källa</summary>
      {d ? (
        <>
          <p>{d.rule}</p>
          <table>
            <caption className="visually-hidden">Härledning av raden {line.label}</caption>
            <TableHead
              columns={['Steg', 'Antal', 'Sats eller vikt', 'Gäller från', 'Resultat', 'Belopp']}
              numeric={['Antal', 'Sats eller vikt', 'Resultat', 'Belopp']}
            />
            <tbody>
              {d.steps.map((s, i) => (
                <tr key={i}>
                  <th scope="row">{s.label}</th>
                  <td className="num">{s.quantity === undefined ? '' : num(s.quantity)}</td>
                  <td className="num">{rateText(s.rate, s.rate_unit)}</td>
                  <td>{s.valid_from ?? ''}</td>
                  <td className="num">{resultText(s.result, s.result_unit)}</td>
                  <td className="num">{s.amount_ore === undefined ? '' : kr(s.amount_ore)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row" colSpan={5}>
                  Radens belopp
                </th>
                <td className="num">{kr(d.amount_ore)}</td>
              </tr>
            </tfoot>
          </table>
        </>
      ) : (
        <p>{line.explanation}</p>
      )}
      {line.source && (
        <p className="source">
          Källa:{' '}
          {ruleInBook ? (
            <Link href={sourceHref(versionId, line.component)} data-testid={`source-${line.component}`}>
              {line.source}
            </Link>
          ) : (
            line.source
          )}
        </p>
      )}
    </details>
  );
}
