import { useId, useState, type FormEvent } from 'react';
import { api } from '../../api';
import { useQuestion } from '../../hooks';
import { DataTable } from '../../components/DataTable';
import { TextField } from '../../components/TextField';
import { Diff, ErrorMessage, SelectField } from '../../components/ui';
import type { Schemas } from '../../api/types';
import { kr, krDiff, monthLabel, num } from '../../format';
import { amountColumn, changeColumn, nameColumn } from '../../components/columns';

type WhatIf = Schemas['UnitWhatIf'];

const whole = (text: string) => (/^\s*\d+\s*$/.test(text) ? Number(text) : undefined);

/**
 * "What would the month pay with N more listed persons of this age?" for one unit, under the
 * rulebook in force that month. The new persons have no visits and no risk group yet.
 */
export function UnitWhatIf({ unitId, months }: { unitId: string; months: string[] }) {
  const [count, setCount] = useState('100');
  const [from, setFrom] = useState('0');
  const [to, setTo] = useState('6');
  const [sex, setSex] = useState('');
  const [month, setMonth] = useState('');
  const { busy, error, answer, ask: question } = useQuestion<WhatIf>();
  const headingId = useId();
  const monthValue = month || months[0] || '';
  const n = whole(count);
  const a = whole(from);
  const b = whole(to);
  const countError =
    n === undefined || n < 1 || n > 100_000 ? 'Ange ett helt antal från 1 till 100 000' : undefined;
  const fromError = a === undefined || a > 120 ? 'Ange en ålder från 0 till 120 år' : undefined;
  const toError =
    b === undefined || b > 120
      ? 'Ange en ålder från 0 till 120 år'
      : a !== undefined && b < a
        ? 'Åldern till kan inte vara lägre än åldern från'
        : undefined;

  const ask = async (e: FormEvent) => {
    e.preventDefault();
    if (countError || fromError || toError) return;
    await question(() =>
      api<WhatIf>(`/api/ui/units/${encodeURIComponent(unitId)}/what-if`, {
        method: 'POST',
        json: { month: monthValue, count: n, age_from: a, age_to: b, sex: sex || null },
      }),
    );
  };

  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>Om fler listade sig här</h2>
      <p className="explanation">
        Vad månaden skulle ge enheten med fler listade i en viss ålder, enligt regelboken som gäller. De nya
        har inga besök och ingen riskgrupp än, och bor där flest av enhetens listade bor. Inget sparas.
      </p>
      <form onSubmit={ask} className="form-row" noValidate>
        <TextField
          label="Antal fler listade"
          value={count}
          onChange={setCount}
          inputMode="numeric"
          error={countError}
        />
        <TextField
          label="Ålder från (år)"
          value={from}
          onChange={setFrom}
          inputMode="numeric"
          error={fromError}
        />
        <TextField label="Ålder till (år)" value={to} onChange={setTo} inputMode="numeric" error={toError} />
        <SelectField
          label="Kön"
          value={sex}
          onChange={setSex}
          options={[
            ['', 'Hälften kvinnor, hälften män'],
            ['F', 'Kvinnor'],
            ['M', 'Män'],
          ]}
        />
        {months.length > 0 && (
          <SelectField
            label="Månad att räkna på"
            value={monthValue}
            onChange={setMonth}
            options={months.map((m) => [m, monthLabel(m)])}
          />
        )}
        <button type="submit" className="button" disabled={busy || !monthValue}>
          {busy ? 'Räknar …' : 'Räkna'}
        </button>
      </form>
      <div aria-live="polite">
        {error && <ErrorMessage error={error} title="Det gick inte att räkna" />}
        {answer && (
          <>
            <p data-testid="what-if-answer">
              Med {num(answer.added.count)} fler listade {answer.added.age_from}–{answer.added.age_to} år
              skulle {monthLabel(answer.month)} ge {kr(answer.with_added_ore)} i stället för{' '}
              {kr(answer.current_ore)}:{' '}
              <Diff ore={answer.diff_ore}>
                <span data-testid="what-if-diff">{krDiff(answer.diff_ore)}</span>
              </Diff>{' '}
              ({answer.rulebook.title}, version {answer.rulebook.version}).
            </p>
            <DataTable
              caption="Per komponent med och utan de nya"
              rows={answer.components}
              rowKey={(c) => c.component}
              columns={[
                nameColumn('c', 'Komponent', 'label'),
                amountColumn('now', 'Nu', 'current_ore'),
                amountColumn('with', 'Med de nya', 'with_added_ore'),
                changeColumn('diff', 'Skillnad', 'current_ore', 'with_added_ore'),
              ]}
            />
          </>
        )}
      </div>
    </section>
  );
}
