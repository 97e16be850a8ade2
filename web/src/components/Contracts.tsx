import type { StatementContract, UnpaidUnit } from '../api/types';
import { date, kr } from '../format';
import { Card } from './ui';
import { TableHead } from './TableHead';

const FORM_SV: Record<string, string> = {
  lov: 'LOV',
  lou: 'LOU',
  nss: 'NSS',
  national_tariff: 'nationella taxan',
  egen_regi: 'egen regi',
};

/** The run's active units that no contract in force pays, each with the reason. */
export function UnpaidUnits({ units }: { units: UnpaidUnit[] | null }) {
  if (!units) return null;
  return (
    <Card title="Enheter utan utbetalning">
      {units.length === 0 ? (
        <p>Alla aktiva enheter har ett avtal som gäller på brytdagen.</p>
      ) : (
        <>
          <p>
            Enheterna är aktiva men har inget avtal som gäller på brytdagen (månadens första dag). De får inga
            rader denna månad.
          </p>
          <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="unpaid-caption">
            <table data-testid="unpaid-units">
              <caption id="unpaid-caption" className="visually-hidden">
                Enheter utan utbetalning och skälet
              </caption>
              <TableHead columns={['HSA-id', 'Skäl']} />
              <tbody>
                {units.map((u) => (
                  <tr key={u.unit_id}>
                    <th scope="row">
                      <code>{u.unit_id}</code>
                    </th>
                    <td>{u.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </Card>
  );
}

/** The contract that pays a statement and how its total is split among the members. */
export function ContractSplit({ contract }: { contract: StatementContract | null }) {
  if (!contract) return null;
  const period = `${date(contract.start_date)} – ${contract.end_date ? date(contract.end_date) : 'tills vidare'}`;
  return (
    <Card title="Avtal och fördelning">
      <dl className="facts">
        <dt>Avtal</dt>
        <dd data-testid="statement-contract">
          {contract.contract_id} ({FORM_SV[contract.connection_form] ?? contract.connection_form})
        </dd>
        <dt>Huvudman (org.nr)</dt>
        <dd>{contract.provider_id}</dd>
        <dt>Gäller</dt>
        <dd>{period}</dd>
      </dl>
      <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="split-caption">
        <table data-testid="statement-split">
          <caption id="split-caption">Fördelning mellan avtalets medlemmar på brytdagen</caption>
          <TableHead columns={['Vårdgivare (org.nr)', 'Andel', 'Belopp']} numeric={['Andel', 'Belopp']} />
          <tbody>
            {contract.payees.map((p) => (
              <tr key={p.provider_id}>
                <th scope="row">
                  {p.provider_id}
                  {p.provider_id === contract.provider_id ? ' (huvudman)' : ''}
                </th>
                <td className="num">{p.share_percent} %</td>
                <td className="num">{kr(p.amount_ore)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p>Varje medlem får sin andel avrundad nedåt till helt öre; huvudmannen får det som blir kvar.</p>
    </Card>
  );
}
