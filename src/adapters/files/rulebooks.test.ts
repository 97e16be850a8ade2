import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { COMPONENT_TYPES } from '../../core/rulebook/schema.js';
import { fileBase, parseRulebookText, type LoadedRulebook } from './rulebook-file.js';

/** The rulebooks shipped in the repository (`rulebooks/**.yaml`) are valid and keep their promises. */

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const RULEBOOKS = join(ROOT, 'rulebooks');
const SCHEMA_COMMENT = '# yaml-language-server: $schema=../../schema/rulebook.schema.json';

const CRITERIA = [
  'st_compensation',
  'vfu_bt_places',
  'psychologist',
  'accessibility_requirements',
  'care_guarantee',
  'digital_contact',
  'population_health',
  'health_dialogues',
  'self_care_support',
  'sip',
  'collaboration_compensation',
  'sip_penalty',
  'research_participation',
  'academic_unit',
] as const;

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory() ? yamlFiles(join(dir, e.name)) : e.name.endsWith('.yaml') ? [join(dir, e.name)] : [],
    )
    .sort();
}

const files = yamlFiles(RULEBOOKS).map((f) => relative(ROOT, f));
const loaded = new Map<string, LoadedRulebook>();
function load(file: string): LoadedRulebook {
  let rb = loaded.get(file);
  if (!rb) {
    rb = parseRulebookText(readFileSync(join(ROOT, file), 'utf8'), join(ROOT, file), fileBase);
    loaded.set(file, rb);
  }
  return rb;
}

describe('rulebooks/', () => {
  it('holds the example years and the national baseline', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'rulebooks/exempel/vardval-2025.yaml',
        'rulebooks/exempel/vardval-2026.yaml',
        'rulebooks/nationell-baslinje/2025.yaml',
      ]),
    );
  });

  describe.each(files)('%s', (file) => {
    it('validates (parseRulebookText does not throw)', () => {
      expect(() => load(file)).not.toThrow();
    });

    it('starts with the yaml-language-server schema comment', () => {
      expect(readFileSync(join(ROOT, file), 'utf8').split('\n')[0]).toBe(SCHEMA_COMMENT);
    });

    it('gives every component, requirement, assignment part, indicator and sanction a source', () => {
      const { rulebook } = load(file);
      const sourced = [
        ...rulebook.compensation.components,
        ...rulebook.requirements,
        ...rulebook.assignment,
        ...rulebook.follow_up.indicators,
        ...rulebook.sanctions,
      ];
      for (const item of sourced) {
        expect(item.source.trim(), `${item.id} saknar source`).not.toBe('');
      }
    });

    it('uses only the mapping criteria ids', () => {
      const { rulebook } = load(file);
      for (const r of rulebook.requirements) {
        for (const c of r.criteria) expect(CRITERIA, `${r.id}: okänt kriterium ${c}`).toContain(c);
      }
    });

    it('has an id matching its path (region/system-year.yaml)', () => {
      const { rulebook } = load(file);
      const [region, system, year] = rulebook.id.split('/');
      const name = file.split('/').slice(1).join('/');
      expect([`${region}/${system}-${year}.yaml`, `${region}/${year}.yaml`]).toContain(name);
      expect(rulebook.valid_from.slice(0, 4)).toBe(year);
    });
  });

  describe('exempel/vardval-2025', () => {
    const file = 'rulebooks/exempel/vardval-2025.yaml';

    it('uses all ten component types of the payment model', () => {
      const types = new Set(load(file).rulebook.compensation.components.map((c) => c.type));
      expect([...types].sort()).toEqual([...COMPONENT_TYPES].sort());
      expect(COMPONENT_TYPES).toHaveLength(10);
    });

    it('has at least ten requirements, each mapped to HSL points', () => {
      const { requirements } = load(file).rulebook;
      expect(requirements.length).toBeGreaterThanOrEqual(10);
      for (const r of requirements) expect(r.hsl_points.length).toBeGreaterThan(0);
    });

    it('covers all five HSL points in its assignment and has optional add-ons', () => {
      const { assignment } = load(file).rulebook;
      const points = new Set(assignment.flatMap((a) => a.hsl_points));
      expect([...points].sort()).toEqual([1, 2, 3, 4, 5]);
      expect(assignment.some((a) => a.optional)).toBe(true);
    });

    it('follows up every goal indicator', () => {
      const { rulebook } = load(file);
      const followed = new Set(rulebook.follow_up.indicators.map((i) => i.id));
      for (const c of rulebook.compensation.components) {
        if (c.type === 'goal') for (const ind of c.indicators) expect(followed).toContain(ind.id);
      }
    });
  });

  it('exempel 2026 changes the compensation model compared with 2025', () => {
    const a = load('rulebooks/exempel/vardval-2025.yaml').rulebook;
    const b = load('rulebooks/exempel/vardval-2026.yaml').rulebook;
    expect(b.valid_from).toBe('2026-01-01');
    expect(JSON.stringify(b.compensation)).not.toBe(JSON.stringify(a.compensation));
  });

  describe('nationell-baslinje/2025', () => {
    const file = 'rulebooks/nationell-baslinje/2025.yaml';

    it.each(CRITERIA)('has a requirement for the criterion %s', (criterion) => {
      const { requirements } = load(file).rulebook;
      expect(requirements.some((r) => r.criteria.includes(criterion))).toBe(true);
    });

    it('covers all five HSL points', () => {
      const { rulebook } = load(file);
      const points = new Set([...rulebook.requirements, ...rulebook.assignment].flatMap((r) => r.hsl_points));
      expect([...points].sort()).toEqual([1, 2, 3, 4, 5]);
    });
  });
});
