import { z } from 'zod';
import type { YamlPath } from '../rulebook/validate.js';

/**
 * The comparison of the 21 regions (jämförelse av regionerna) as data: regions, criteria, facts and
 * reported aggregates, each fact with the seed file, section and a verbatim quote it rests on.
 * A fact the seeds do not give is unknown; nothing here ever turns unknown into yes or no.
 */

/** The source documents a fact may cite (../shared/seeds, see DOMAIN.md). */
export const SEED_FILES = [
  'praktikertjanst-2024-hur-styr-regionerna.txt',
  'region-omvarldsbevakning-ffu-ersattning.txt',
  'socialstyrelsen-2021-sma-utforare-primarvard.txt',
  'skr-slf-fysioterapeuterna-2021-nss.txt',
  'region-jamtland-harjedalen-2018-intraprenad.txt',
] as const;

const CRITERION_GROUPS = ['hsl', 'compensation', 'budget', 'system'] as const;
export type CriterionGroup = (typeof CRITERION_GROUPS)[number];

const text = z.string().min(1);
const year = z.number().int().min(2000).max(2100);

const sourceSchema = z.strictObject({
  seed: z.enum(SEED_FILES, { error: `Källan ska vara en av filerna ${SEED_FILES.join(', ')}` }),
  section: text.describe('Rubriken i källan'),
  quote: text.describe('Ordagrant citat ur källan'),
});
export type Source = z.infer<typeof sourceSchema>;

const regionCode = z.string().regex(/^[A-Z]{1,2}$/, 'Regionkoden är länsbokstaven, t.ex. AB eller BD');

const regionsFile = z.strictObject({
  source: sourceSchema,
  regions: z.array(z.strictObject({ code: regionCode, name: text })).min(1),
});

const criterionSchema = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9_]*$/, 'Id skrivs med små bokstäver a–z, siffror och _'),
  group: z.enum(CRITERION_GROUPS),
  hsl_point: z.number().int().min(1).max(5).optional(),
  kind: z.enum(['boolean', 'number']),
  unit: text.optional(),
  year: year.optional(),
  label: text,
});
export type Criterion = z.infer<typeof criterionSchema>;

const referenceSchema = z.strictObject({
  id: text,
  label: text,
  value: z.number(),
  unit: text,
  year: year.optional(),
  source: sourceSchema,
});
export type Reference = z.infer<typeof referenceSchema>;

const criteriaFile = z.strictObject({
  criteria: z.array(criterionSchema).min(1),
  references: z.array(referenceSchema).default([]),
});

export type FactValue = 'yes' | 'no' | 'unknown' | number;
const factValue = z.union([z.enum(['yes', 'no', 'unknown']), z.number()]);

const factEntrySchema = z.strictObject({
  criterion: text,
  regions: z.union([z.literal('all'), z.array(regionCode).min(1)]).optional(),
  all_except: z.array(regionCode).min(1).optional(),
  year: year.optional(),
  value: factValue,
  note: text.optional(),
  source: sourceSchema,
});
const factsFile = z.strictObject({ facts: z.array(factEntrySchema) });

const aggregateSchema = z.strictObject({
  criterion: text,
  year,
  reported_count: z.number().int().min(0).optional(),
  reported_percent: z.number().min(0).max(100).optional(),
  base: z.number().int().min(1).optional(),
  derived: text.optional(),
  source: sourceSchema,
});
const aggregatesFile = z.strictObject({ aggregates: z.array(aggregateSchema) });

/** The four files of data/regions, parsed but not yet checked against each other. */
export interface ComparisonInput {
  regions: unknown;
  criteria: unknown;
  facts: unknown;
  aggregates: unknown;
}
export type ComparisonFile = keyof ComparisonInput;

interface Region {
  code: string;
  name: string;
}

/** One region's fact for one criterion and year, after `all` and `all_except` are expanded. */
export interface Fact {
  region_code: string;
  criterion: string;
  year: number | undefined;
  value: FactValue;
  note?: string;
  source: Source;
}

export interface Aggregate {
  criterion: string;
  year: number;
  reported_count: number;
  reported_percent?: number;
  base?: number;
  derived?: string;
  source: Source;
}

export interface ComparisonDataset {
  regions: Region[];
  regionsSource: Source;
  criteria: Criterion[];
  references: Reference[];
  facts: Fact[];
  aggregates: Aggregate[];
}

interface ComparisonIssue {
  file: ComparisonFile;
  path: YamlPath;
  code: string;
  message: string;
}

export type ComparisonResult =
  { ok: true; dataset: ComparisonDataset } | { ok: false; issues: ComparisonIssue[] };

function shapeIssues(file: ComparisonFile, error: z.ZodError): ComparisonIssue[] {
  return error.issues.map((i) => ({
    file,
    path: i.path as YamlPath,
    code: `schema.${i.code}`,
    message: i.message,
  }));
}

/** Validates the four files: shape first, then that facts and aggregates name known regions and criteria. */
export function validateComparison(input: ComparisonInput): ComparisonResult {
  const r = regionsFile.safeParse(input.regions);
  const c = criteriaFile.safeParse(input.criteria);
  const f = factsFile.safeParse(input.facts);
  const a = aggregatesFile.safeParse(input.aggregates);
  const issues: ComparisonIssue[] = [
    ...(r.success ? [] : shapeIssues('regions', r.error)),
    ...(c.success ? [] : shapeIssues('criteria', c.error)),
    ...(f.success ? [] : shapeIssues('facts', f.error)),
    ...(a.success ? [] : shapeIssues('aggregates', a.error)),
  ];
  if (!r.success || !c.success || !f.success || !a.success) return { ok: false, issues };
  const issue = (file: ComparisonIssue['file'], path: YamlPath, code: string, message: string): void => {
    issues.push({ file, path, code, message });
  };

  const regions = r.data.regions;
  const regionCodes = new Set<string>();
  regions.forEach((region, i) => {
    if (regionCodes.has(region.code))
      issue(
        'regions',
        ['regions', i, 'code'],
        'compare.duplicate_region',
        `Regionen ${region.code} står två gånger`,
      );
    regionCodes.add(region.code);
  });

  const criteria = new Map<string, Criterion>();
  c.data.criteria.forEach((criterion, i) => {
    const at = (field: string): YamlPath => ['criteria', i, field];
    if (criteria.has(criterion.id))
      issue('criteria', at('id'), 'compare.duplicate_criterion', `Kriteriet ${criterion.id} står två gånger`);
    if ((criterion.group === 'hsl') !== (criterion.hsl_point !== undefined))
      issue(
        'criteria',
        at('hsl_point'),
        'compare.hsl_point',
        'Ett kriterium i gruppen hsl ska ha hsl_point (1–5), och bara de',
      );
    criteria.set(criterion.id, criterion);
  });

  const facts: Fact[] = [];
  const seen = new Map<string, number>();
  f.data.facts.forEach((entry, i) => {
    const at = (...rest: YamlPath): YamlPath => ['facts', i, ...rest];
    const criterion = criteria.get(entry.criterion);
    if (!criterion) {
      issues.push({
        file: 'facts',
        path: at('criterion'),
        code: 'compare.unknown_criterion',
        message: `Kriteriet ${entry.criterion} finns inte i criteria.yaml`,
      });
      return;
    }
    const valueFits =
      entry.value === 'unknown' || (criterion.kind === 'number') === (typeof entry.value === 'number');
    if (!valueFits)
      issues.push({
        file: 'facts',
        path: at('value'),
        code: 'compare.value_kind',
        message:
          criterion.kind === 'number'
            ? `Kriteriet ${criterion.id} är ett tal; värdet ska vara ett tal eller unknown`
            : `Kriteriet ${criterion.id} är ja/nej; värdet ska vara "yes", "no" eller "unknown"`,
      });
    if ((entry.regions === undefined) === (entry.all_except === undefined)) {
      issues.push({
        file: 'facts',
        path: at('regions'),
        code: 'compare.regions',
        message: 'Ange antingen regions (en lista eller all) eller all_except, inte båda och inte ingen',
      });
      return;
    }
    const named = entry.regions === 'all' ? [] : (entry.regions ?? entry.all_except ?? []);
    const key = entry.regions === undefined ? 'all_except' : 'regions';
    named.forEach((code, j) => {
      if (!regionCodes.has(code))
        issues.push({
          file: 'facts',
          path: at(key, j),
          code: 'compare.unknown_region',
          message: `Regionen ${code} finns inte i regions.yaml`,
        });
    });
    const codes =
      entry.regions === 'all'
        ? regions.map((x) => x.code)
        : entry.regions
          ? entry.regions
          : regions.map((x) => x.code).filter((x) => !entry.all_except!.includes(x));
    const factYear = entry.year ?? criterion.year;
    for (const code of codes) {
      const id = `${entry.criterion}|${factYear ?? ''}|${code}`;
      const earlier = seen.get(id);
      if (earlier !== undefined) {
        issues.push({
          file: 'facts',
          path: at('criterion'),
          code: 'compare.duplicate_fact',
          message: `${code} har redan ett faktum för ${entry.criterion}${factYear ? ` ${factYear}` : ''} (facts[${earlier}])`,
        });
        continue;
      }
      seen.set(id, i);
      facts.push({
        region_code: code,
        criterion: entry.criterion,
        year: factYear,
        value: entry.value,
        ...(entry.note ? { note: entry.note } : {}),
        source: entry.source,
      });
    }
  });

  const aggregates: Aggregate[] = [];
  a.data.aggregates.forEach((entry, i) => {
    const at = (...rest: YamlPath): YamlPath => ['aggregates', i, ...rest];
    const criterion = criteria.get(entry.criterion);
    if (!criterion || criterion.kind !== 'boolean') {
      issues.push({
        file: 'aggregates',
        path: at('criterion'),
        code: 'compare.unknown_criterion',
        message: criterion
          ? `Kriteriet ${entry.criterion} är inte ja/nej och kan inte räknas`
          : `Kriteriet ${entry.criterion} finns inte i criteria.yaml`,
      });
      return;
    }
    const byCount = entry.reported_count !== undefined;
    const byPercent = entry.reported_percent !== undefined && entry.base !== undefined;
    if (byCount === byPercent) {
      issues.push({
        file: 'aggregates',
        path: at('reported_count'),
        code: 'compare.reported',
        message: 'Ange antingen reported_count eller reported_percent tillsammans med base',
      });
      return;
    }
    const count = byCount ? entry.reported_count! : Math.round((entry.reported_percent! * entry.base!) / 100);
    aggregates.push({
      criterion: entry.criterion,
      year: entry.year,
      reported_count: count,
      ...(byPercent ? { reported_percent: entry.reported_percent!, base: entry.base! } : {}),
      ...(entry.derived ? { derived: entry.derived } : {}),
      source: entry.source,
    });
  });

  if (issues.length > 0) return { ok: false, issues };
  return {
    ok: true,
    dataset: {
      regions,
      regionsSource: r.data.source,
      criteria: [...criteria.values()],
      references: c.data.references,
      facts,
      aggregates,
    },
  };
}
