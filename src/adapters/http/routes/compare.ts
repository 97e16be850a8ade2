import { join } from 'node:path';
import { z, type OpenAPIHono } from '@hono/zod-openapi';
import {
  aggregateRows,
  changesOverTime,
  comparisonCells,
  HSL_POINT_TITLES,
} from '../../../core/compare/compare.js';
import { baselineConformance } from '../../../core/compare/conformance.js';
import type { ComparisonDataset } from '../../../core/compare/dataset.js';
import type { Rulebook } from '../../../core/rulebook/schema.js';
import { loadComparisonData } from '../../files/comparison-data.js';
import { aggregatesCsv, factsCsv } from '../../exports/comparison-files.js';
import { loadRulebookFile } from '../../files/rulebook-file.js';
import { comparisonXlsx } from '../../exports/comparison-xlsx.js';
import { PROJECT_ROOT } from '../../store/connection.js';
import { loadRulebookVersion } from '../../store/runs.js';
import { newestVersionIdWithPrefix } from '../../store/rulebook-versions.js';
import type { AppDeps, AppEnv } from '../context.js';
import { ACCESS } from '../guard.js';
import { binaryFile, dbIdParam, fileAnswer, getRoute, routeWithRight, textFile } from './common.js';

const DATA_DIR = join(PROJECT_ROOT, 'data', 'regions');
const BASELINE_FILE = join(PROJECT_ROOT, 'rulebooks', 'nationell-baslinje', '2025.yaml');
const BASELINE_PREFIX = 'nationell-baslinje/';

// The data set ships with the program and does not change while it runs: read it once.
let dataset: ComparisonDataset | undefined;
function comparison(): ComparisonDataset {
  dataset ??= loadComparisonData(DATA_DIR);
  return dataset;
}

const Source = z
  .object({ seed: z.string(), section: z.string(), quote: z.string() })
  .openapi('CompareSource');
const Value = z
  .union([z.enum(['yes', 'no', 'unknown']), z.number()])
  .openapi({ description: 'yes, no, unknown (källorna anger inget) eller ett tal' });

const Comparison = z
  .object({
    regions: z.array(z.object({ code: z.string(), name: z.string() })),
    hsl_points: z.array(z.object({ point: z.number(), title: z.string() })),
    criteria: z.array(
      z.object({
        id: z.string(),
        group: z.enum(['hsl', 'compensation', 'budget', 'system']),
        hsl_point: z.number().optional(),
        kind: z.enum(['boolean', 'number']),
        unit: z.string().optional(),
        year: z.number().optional(),
        label: z.string(),
      }),
    ),
    references: z.array(
      z.object({
        id: z.string(),
        label: z.string(),
        value: z.number(),
        unit: z.string(),
        year: z.number().optional(),
        source: Source,
      }),
    ),
    cells: z.array(
      z.object({
        region_code: z.string(),
        criterion: z.string(),
        value: Value,
        source: Source.optional(),
        note: z.string().optional(),
      }),
    ),
    aggregates: z.array(
      z.object({
        criterion: z.string(),
        year: z.number(),
        reported_count: z.number(),
        reported_percent: z.number().optional(),
        base: z.number().optional(),
        derived: z.string().optional(),
        known_yes: z.number(),
        known_no: z.number(),
        unknown: z.number(),
        source: Source,
      }),
    ),
    changes: z
      .array(
        z.object({
          region_code: z.string(),
          criterion: z.string(),
          label: z.string(),
          before: z.object({ year: z.number(), value: Value, note: z.string().optional(), source: Source }),
          now: z.object({
            year: z.number().optional(),
            value: Value,
            note: z.string().optional(),
            source: Source.optional(),
          }),
          changed: z.boolean(),
        }),
      )
      .openapi({
        description:
          'Förändringar över tid: en regions värde ett tidigare år (t.ex. 2022) bredvid värdet det år kriteriet jämför',
      }),
  })
  .openapi('Comparison');

const CoveredBy = z.object({
  kind: z.enum(['requirement', 'component']),
  id: z.string(),
  level: z.enum(['ska', 'bor']),
});

const Conformance = z
  .object({
    baseline: z.object({ id: z.string(), version_id: z.number().nullable(), title: z.string() }),
    rulebook: z.object({ id: z.string(), version_id: z.number(), version: z.number(), title: z.string() }),
    rows: z.array(
      z.object({
        criterion: z.string(),
        label: z.string(),
        hsl_points: z.array(z.number()),
        baseline_level: z.enum(['ska', 'bor']),
        baseline_by: z.array(CoveredBy),
        covered: z.boolean(),
        covered_by: z.array(CoveredBy),
        weaker: z.boolean(),
      }),
    ),
    covered: z.array(z.string()),
    lacking: z.array(z.string()),
  })
  .openapi('CompareConformance');

const EXPORTS = {
  'facts.csv': 'text/csv; charset=utf-8',
  'aggregates.csv': 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;

/** The comparison of the 21 regions (jämförelse) and a stored rulebook's conformance to the baseline. */
export function registerCompare(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  const db = deps.conn.db;

  app.openapi(
    getRoute(
      {
        path: '/api/compare',
        right: ACCESS.readComparison,
        summary:
          'Jämförelsen av de 21 regionerna: fakta per region och kriterium, med källa, och källornas antal',
      },
      'Jämförelsen',
      Comparison,
    ),
    (c) => {
      const ds = comparison();
      return c.json(
        {
          regions: ds.regions,
          hsl_points: Object.entries(HSL_POINT_TITLES).map(([point, title]) => ({
            point: Number(point),
            title,
          })),
          criteria: ds.criteria,
          references: ds.references,
          cells: comparisonCells(ds),
          aggregates: aggregateRows(ds),
          changes: changesOverTime(ds),
        },
        200,
      );
    },
  );

  app.openapi(
    routeWithRight({
      method: 'get',
      path: '/api/compare/export/{format}',
      right: ACCESS.readComparison,
      summary: 'Jämförelsen som facts.csv, aggregates.csv eller en Excel-arbetsbok',
      request: { params: z.object({ format: z.enum(['facts.csv', 'aggregates.csv', 'xlsx']) }) },
      responses: fileAnswer('Filen', { 'text/csv': textFile, [EXPORTS.xlsx]: binaryFile }),
    }),
    async (c) => {
      const { format } = c.req.valid('param');
      const ds = comparison();
      const body =
        format === 'xlsx'
          ? await comparisonXlsx(ds)
          : Buffer.from(format === 'facts.csv' ? factsCsv(ds) : aggregatesCsv(ds));
      const name = format === 'xlsx' ? 'jamforelse-regioner.xlsx' : format;
      return c.body(new Uint8Array(body), 200, {
        'content-type': EXPORTS[format],
        'content-disposition': `attachment; filename="${name}"`,
      });
    },
  );

  app.openapi(
    getRoute(
      {
        path: '/api/compare/conformance/{id}',
        right: ACCESS.readRulebooks,
        summary:
          'En lagrad regelboks täckning av den nationella baslinjen: vilka kriterier den täcker och saknar',
        request: {
          params: z.object({ id: dbIdParam }),
          query: z.object({
            baseline: dbIdParam.optional().openapi({
              description: 'Baslinjens versions-id; annars den senaste lagrade nationella baslinjen',
            }),
          }),
        },
      },
      'Täckningen',
      Conformance,
    ),
    async (c) => {
      const { id } = c.req.valid('param');
      const { row, rb } = await loadRulebookVersion(db, id);
      let baseline: { rulebook: Rulebook; versionId: number | null };
      const chosen = c.req.valid('query').baseline;
      if (chosen !== undefined) {
        baseline = { rulebook: (await loadRulebookVersion(db, chosen)).rb.rulebook, versionId: chosen };
      } else {
        const stored = await newestVersionIdWithPrefix(db, BASELINE_PREFIX);
        baseline =
          stored !== undefined
            ? { rulebook: (await loadRulebookVersion(db, stored)).rb.rulebook, versionId: stored }
            : { rulebook: loadRulebookFile(BASELINE_FILE).rulebook, versionId: null };
      }
      const conf = baselineConformance(baseline.rulebook, rb.rulebook);
      const labels = new Map(comparison().criteria.map((x) => [x.id, x.label]));
      return c.json(
        {
          baseline: {
            id: baseline.rulebook.id,
            version_id: baseline.versionId,
            title: baseline.rulebook.title,
          },
          rulebook: {
            id: row.rulebookId,
            version_id: row.id,
            version: row.version,
            title: rb.rulebook.title,
          },
          rows: conf.rows.map((r) => ({ ...r, label: labels.get(r.criterion) ?? r.criterion })),
          covered: conf.covered,
          lacking: conf.lacking,
        },
        200,
      );
    },
  );
}
