import { join } from 'node:path';
import type { Command } from 'commander';
import { aggregateContradictions, aggregateRows } from '../../core/compare/compare.js';
import { baselineConformance } from '../../core/compare/conformance.js';
import type { ComparisonDataset } from '../../core/compare/dataset.js';
import { loadComparisonData } from '../files/comparison-data.js';
import { writeComparison } from '../exports/comparison-files.js';
import { loadRulebookFile } from '../files/rulebook-file.js';
import { renderTable } from './table.js';

const LEVEL_SV = { ska: 'krav', bor: 'rekommendation' } as const;

function criterionLabel(ds: ComparisonDataset, id: string): string {
  return ds.criteria.find((c) => c.id === id)?.label ?? id;
}

/** `vardval compare`: the comparison of the 21 regions as CSV, and a rulebook's baseline conformance. */
export function registerCompareCommand(program: Command, root: string, out: (text: string) => void): void {
  program
    .command('compare')
    .description(
      'Jämför de 21 regionernas förfrågningsunderlag: skriver facts.csv och aggregates.csv; med --rulebook även en regelboks täckning av den nationella baslinjen',
    )
    .requiredOption('--out <dir>', 'mapp för CSV-filerna')
    .option(
      '--data <dir>',
      'mapp med jämförelsedata (regions, criteria, facts, aggregates)',
      join(root, 'data', 'regions'),
    )
    .option('--rulebook <file>', 'regelbok att jämföra med den nationella baslinjen')
    .option(
      '--baseline <file>',
      'baslinjens regelbok',
      join(root, 'rulebooks', 'nationell-baslinje', '2025.yaml'),
    )
    .action((o: { out: string; data: string; rulebook?: string; baseline: string }) => {
      const ds = loadComparisonData(o.data);
      const files = writeComparison(o.out, ds);
      const known = ds.facts.filter((f) => f.value !== 'unknown').length;
      out(
        `Jämförelse av ${ds.regions.length} regioner och ${ds.criteria.length} kriterier: ${known} kända fakta, ${ds.aggregates.length} rapporterade antal`,
      );
      out(
        renderTable(
          ['Kriterium', 'År', 'Källans antal', 'Kända ja', 'Kända nej', 'Okända'],
          aggregateRows(ds).map((a) => [
            a.criterion,
            String(a.year),
            String(a.reported_count),
            String(a.known_yes),
            String(a.known_no),
            String(a.unknown),
          ]),
          [false, true, true, true, true, true],
        ),
      );
      const contradictions = aggregateContradictions(ds);
      for (const c of contradictions) out(`Motsägelse: ${c}`);
      out(`Skrev ${files.join(' och ')}`);
      if (o.rulebook) {
        const baseline = loadRulebookFile(o.baseline).rulebook;
        const rulebook = loadRulebookFile(o.rulebook).rulebook;
        const conf = baselineConformance(baseline, rulebook);
        out(
          `\n${rulebook.id} mot ${baseline.id}: täcker ${conf.covered.length} av ${conf.rows.length} kriterier`,
        );
        out(
          renderTable(
            ['Kriterium', 'HSL-punkt', 'Baslinjen', 'Täcks', 'Genom'],
            conf.rows.map((r) => [
              `${r.criterion} (${criterionLabel(ds, r.criterion)})`,
              r.hsl_points.join(', '),
              LEVEL_SV[r.baseline_level],
              r.covered ? (r.weaker ? 'ja, som rekommendation' : 'ja') : 'saknas',
              r.covered_by
                .map((b) => `${b.kind === 'requirement' ? 'krav' : 'komponent'} ${b.id}`)
                .join(', '),
            ]),
            [false, false, false, false, false],
          ),
        );
        if (conf.lacking.length > 0) out(`Saknas: ${conf.lacking.join(', ')}`);
      }
    });
}
