import { useState } from 'react';
import { Card, SelectField } from '../components/ui';

/**
 * A provider's statements for a whole year as one XLSX (a sheet per month and a summary), for its
 * bookkeeping. `years` are the years with runs, newest first.
 */
export function StatementsYear({ years, providerId }: { years: string[]; providerId?: string }) {
  const [year, setYear] = useState('');
  const chosen = year || years[0];
  if (!chosen) return null;
  const q = providerId ? `?provider_id=${encodeURIComponent(providerId)}` : '';
  return (
    <Card title="Årets underlag för bokföringen">
      <p>
        Alla godkända utbetalningsunderlag för året i en arbetsbok: ett blad per månad och en sammanställning.
      </p>
      <div className="actions">
        <SelectField label="År" value={chosen} onChange={setYear} options={years.map((y) => [y, y])} />
        <a
          className="button secondary"
          href={`/api/statements/year/${chosen}/xlsx${q}`}
          download
          data-testid="year-xlsx"
        >
          Ladda ned {chosen} som XLSX
        </a>
      </div>
    </Card>
  );
}
