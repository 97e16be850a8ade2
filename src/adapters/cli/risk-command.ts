import { countSv } from '../exports/common.js';
import { join } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { formatDate, formatMonth, lastDay, addMonths } from '../../core/calendar.js';
import { buildMonthContext, windowBefore } from '../../core/engine/month-context.js';
import { formatNumber } from '../../core/money.js';
import { STANDARD_BANDS } from '../../core/risk/bands.js';
import { DEFAULT_MAP } from '../../core/risk/comorbidity-map.js';
import {
  DEFAULT_WINDOW_MONTHS,
  monthPersonRisk,
  monthUnitRisk,
  resolveRisk,
} from '../../core/risk/month-risk.js';
import { loadComorbidityCatalog } from '../files/comorbidity-files.js';
import { loadDataFolder } from '../files/data-folder/index.js';
import { InputErrors } from '../files/located-error.js';
import { requireMonth } from '../files/payment-run.js';
import { unitRiskRows, writeRisk } from '../exports/risk-files.js';
import { column } from '../store/import-batch.js';
import { renderTable } from './table.js';

function windowMonths(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 120)
    throw new InvalidArgumentError('Fönstret anges i hela månader, 1–120');
  return n;
}

/**
 * `vardval risk`: the open comorbidity grouper on a data folder. risk.csv names persons and is for
 * the region's own use (nothing of it is printed); risk-units.csv and the printed table are counts.
 */
export function registerRiskCommand(program: Command, out: (text: string) => void): void {
  program
    .command('risk')
    .description(
      'Samsjuklighet (Charlson, svensk ICD-10-anpassning) ur besökens diagnoser: skriver risk.csv per listad person och risk-units.csv per enhet',
    )
    .requiredOption('--data <dir>', 'datamapp med listings.csv och visits.csv (kolumnen diagnoses)')
    .requiredOption(
      '--month <YYYY-MM>',
      'månad; de listade på brytdagen, besöken under fönstret före månaden',
    )
    .requiredOption('--out <dir>', 'mapp för CSV-filerna')
    .option(
      '--window-months <n>',
      'fönstret i hela månader före månaden',
      windowMonths,
      DEFAULT_WINDOW_MONTHS,
    )
    .option('--weights <set>', 'viktuppsättning: charlson_1987 eller quan_2011', 'charlson_1987')
    .option('--map <id>', 'samsjuklighetskarta i data/comorbidity/maps.csv', DEFAULT_MAP)
    .action(
      (o: {
        data: string;
        month: string;
        out: string;
        windowMonths: number;
        weights: string;
        map: string;
      }) => {
        const month = requireMonth(o.month);
        const settings = { map: o.map, weights: o.weights, windowMonths: o.windowMonths };
        const catalog = loadComorbidityCatalog();
        const resolved = resolveRisk(catalog, settings);
        if ('error' in resolved)
          throw new InputErrors([
            {
              file: catalog.has(o.map) ? '--weights' : '--map',
              code: 'cli.unknown_weights',
              message: resolved.error,
            },
          ]);
        const data = loadDataFolder(o.data, { require: ['visits.csv'] });
        if (!data.visits.diagnoses)
          throw new InputErrors([
            {
              file: 'visits.csv',
              line: 1,
              where: 'diagnoses',
              code: 'data.missing_column',
              message:
                'Kolumnen diagnoses saknas i rubrikraden; samsjukligheten räknas ur besökens diagnoser',
            },
          ]);
        const ctx = buildMonthContext(data, month, true);
        if (ctx.issues.length > 0)
          throw new InputErrors(
            ctx.issues.map((i) =>
              i.kind === 'data'
                ? { file: i.file, line: i.line, where: i.where, code: i.code, message: i.message }
                : { file: o.data, code: i.code, message: i.message },
            ),
            `Samsjukligheten för ${formatMonth(month)} kan inte räknas`,
          );
        const risk = monthPersonRisk(ctx, resolved.map, resolved.weights, settings);
        const units = monthUnitRisk(ctx, risk, STANDARD_BANDS);
        const personIds = column(join(o.data, 'listings.csv'), 'person_id');
        const files = writeRisk(o.out, data, ctx, risk, resolved.map, units, (row) => personIds[row]!);

        const window = windowBefore(month, o.windowMonths);
        out(
          `Samsjuklighet ${formatMonth(month)}: ${resolved.map.label}, vikter ${o.weights}, diagnoser ${formatDate(window.from)}–${formatDate(lastDay(addMonths(month, -1)))}`,
        );
        const nb = STANDARD_BANDS.length;
        const rows: string[][] = [];
        const total = new Array<number>(nb).fill(0);
        let listed = 0;
        let sum = 0;
        const order = unitRiskRows(data, ctx, units);
        for (const u of order) {
          listed += u.listed;
          sum += u.scoreSum;
          u.bands.forEach((c, b) => (total[b] = (total[b] ?? 0) + c));
          rows.push([
            u.unitId,
            u.name,
            formatNumber(u.listed),
            u.listed ? formatNumber(Math.round((u.scoreSum / u.listed) * 100) / 100) : '–',
            ...u.bands.map((c) => formatNumber(c)),
          ]);
        }
        rows.push([
          'Summa',
          countSv(order.length, 'enhet', 'enheter'),
          formatNumber(listed),
          listed ? formatNumber(Math.round((sum / listed) * 100) / 100) : '–',
          ...total.map((c) => formatNumber(c)),
        ]);
        out(
          renderTable(
            ['Enhet', 'Namn', 'Listade', 'Medelpoäng', ...STANDARD_BANDS.map((b) => `Poäng ${b.label}`)],
            rows,
            [false, false, true, true, ...STANDARD_BANDS.map(() => true)],
          ),
        );
        out(`Skrev ${files.join(' och ')} (risk.csv har personnummer och är för regionens eget bruk)`);
      },
    );
}
