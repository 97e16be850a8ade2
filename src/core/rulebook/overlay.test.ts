import { describe, expect, it } from 'vitest';
import { defined } from '../test-support/defined.js';
import { mergeOverlay, overlayOf, overlayPath, type Json } from './overlay.js';

type Doc = { [key: string]: Json };

const base: Doc = {
  id: 'exempel/vardval/2025',
  title: 'Vårdval 2025',
  listing: { branches_may_list: false, max_changes_per_12_months: 2 },
  compensation: {
    components: [
      {
        id: 'kap',
        type: 'capitation',
        annual_amount: { '2025-01-01': 2400, '2025-07-01': 2460 },
        parts: [{ share: 1, weight: { kind: 'flat' } }],
      },
      { id: 'geo', type: 'area_supplement', annual_per_listed: { tatort: 0, landsbygd: 120, glesbygd: 360 } },
      {
        id: 'besok',
        type: 'visit_fee',
        fees: [
          { profession: 'lakare', contact: 'fysiskt', amount: 350 },
          { profession: 'sjukskoterska', amount: 150 },
          { contact: 'telefon', amount: 80 },
        ],
        default: 100,
      },
    ],
  },
};

describe('rulebook overlays', () => {
  it('merges maps by key, components by id and fee rows by profession and contact', () => {
    const { merged, changes, issues } = mergeOverlay(base, {
      base: 'exempel/vardval/2025',
      id: 'exempel/vardval/2026',
      listing: { max_changes_per_12_months: null },
      compensation: {
        components: [
          { id: 'kap', annual_amount: { '2026-01-01': 2600 } },
          { id: 'geo', annual_per_listed: { glesbygd: 400 } },
          {
            id: 'besok',
            fees: [
              { profession: 'lakare', contact: 'fysiskt', amount: 280 },
              { contact: 'telefon', remove: true },
              { profession: 'psykolog', amount: 300 },
            ],
          },
          { id: 'vite', type: 'penalty', amount: 4000 },
        ],
      },
    });
    expect(issues).toEqual([]);
    expect(merged.id).toBe('exempel/vardval/2026');
    expect(merged.title).toBe('Vårdval 2025');
    expect('base' in merged).toBe(false);
    expect(merged.listing).toEqual({ branches_may_list: false });
    const components = (merged.compensation as { components: Doc[] }).components;
    const [kap, geo, besok, vite] = [
      defined(components[0]),
      defined(components[1]),
      defined(components[2]),
      defined(components[3]),
    ];
    // A dated value is one value: replaced whole, not merged date by date.
    expect(kap.annual_amount).toEqual({ '2026-01-01': 2600 });
    expect(kap.parts).toEqual([{ share: 1, weight: { kind: 'flat' } }]);
    expect(geo.annual_per_listed).toEqual({ tatort: 0, landsbygd: 120, glesbygd: 400 });
    expect(besok.fees).toEqual([
      { profession: 'lakare', contact: 'fysiskt', amount: 280 },
      { profession: 'sjukskoterska', amount: 150 },
      { profession: 'psykolog', amount: 300 },
    ]);
    expect(besok.default).toBe(100);
    expect(vite).toEqual({ id: 'vite', type: 'penalty', amount: 4000 });
    expect(changes).toEqual([
      { path: 'listing.max_changes_per_12_months', kind: 'removed' },
      { path: 'compensation.components[kap].annual_amount', kind: 'changed' },
      { path: 'compensation.components[geo].annual_per_listed.glesbygd', kind: 'changed' },
      { path: 'compensation.components[besok].fees[lakare fysiskt].amount', kind: 'changed' },
      { path: 'compensation.components[besok].fees[telefon]', kind: 'removed' },
      { path: 'compensation.components[besok].fees[psykolog]', kind: 'added' },
      { path: 'compensation.components[vite]', kind: 'added' },
    ]);
    // The base is left as it was.
    expect((base.compensation as { components: Doc[] }).components).toHaveLength(3);
  });

  it('removes a component by id and replaces other lists whole', () => {
    const { merged, changes } = mergeOverlay(base, {
      id: 'x/y/2026',
      compensation: {
        components: [
          { id: 'geo', remove: true },
          { id: 'kap', parts: [{ share: 0.5, weight: { kind: 'flat' } }] },
        ],
      },
    });
    const components = (merged.compensation as { components: Doc[] }).components;
    expect(components.map((c) => c.id)).toEqual(['kap', 'besok']);
    expect(components[0]?.parts).toEqual([{ share: 0.5, weight: { kind: 'flat' } }]);
    expect(changes.map((c) => c.path)).toEqual([
      'compensation.components[geo]',
      'compensation.components[kap].parts',
    ]);
  });

  it('refuses an overlay without its own id, an item without id and removing what the base lacks', () => {
    expect(mergeOverlay(base, { title: 'x' }).issues.map((i) => i.code)).toEqual(['rulebook.overlay_id']);
    expect(mergeOverlay(base, { id: defined(base.id) }).issues[0]?.message).toContain('samma id som grunden');
    const { issues } = mergeOverlay(base, {
      id: 'x/y/2026',
      compensation: { components: [{ label: 'utan id' }, { id: 'saknas', remove: true }] },
    });
    expect(issues).toEqual([
      expect.objectContaining({ path: ['compensation', 'components', 0], code: 'rulebook.overlay_item' }),
      expect.objectContaining({
        path: ['compensation', 'components', 1],
        code: 'rulebook.overlay_remove',
        message: 'Posten saknas som ska tas bort finns inte i grunden',
      }),
    ]);
  });

  it('finds a merged path on the overlay’s own items', () => {
    const overlay: Doc = { id: 'x/y/2026', compensation: { components: [{ id: 'besok', default: -1 }] } };
    const { merged } = mergeOverlay(base, overlay);
    // besok is the third component of the merged rulebook and the first of the overlay.
    expect(overlayPath(merged, overlay, ['compensation', 'components', 2, 'default'])).toEqual([
      'compensation',
      'components',
      0,
      'default',
    ]);
    expect(overlayPath(merged, overlay, ['compensation', 'components', 0, 'parts'])).toEqual([
      'compensation',
      'components',
    ]);
  });

  it('writes the smallest overlay between two rulebooks, which merges back to the target', () => {
    const target = structuredClone(base);
    target.id = 'exempel/vardval/2026';
    const components = (target.compensation as { components: Doc[] }).components;
    components.splice(1, 1);
    defined((defined(components[1]).fees as Doc[])[0]).amount = 300;
    const overlay = overlayOf(base, target)!;
    expect(overlay).toEqual({
      id: 'exempel/vardval/2026',
      compensation: {
        components: [
          { id: 'geo', remove: true },
          { id: 'besok', fees: [{ profession: 'lakare', contact: 'fysiskt', amount: 300 }] },
        ],
      },
    });
    expect(mergeOverlay(base, overlay).merged).toEqual(target);
  });
});
