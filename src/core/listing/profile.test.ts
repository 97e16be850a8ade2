import { describe, expect, it } from 'vitest';
import { listedProfile } from './profile.js';

describe('the profile of a unit’s listed population', () => {
  const profile = listedProfile([
    { age: 0, sex: 1, cni: 0.79, ruralClass: '1', count: 2 },
    { age: 4, sex: 2, cni: 0.8, ruralClass: '1', count: 1 },
    { age: 5, sex: 0, cni: 1.5, ruralClass: '3', count: 1 },
    { age: 84, sex: 2, cni: 2.0, ruralClass: '3', count: 1 },
    { age: 85, sex: 1, cni: null, ruralClass: null, count: 3 },
    { age: 104, sex: 2, cni: 2.4, ruralClass: '3', count: 1 },
  ]);

  it('counts everyone once, by five-year band and sex, with 85+ open at the top', () => {
    expect(profile.listed).toBe(9);
    const band = (label: string) => profile.ageSex.find((b) => b.label === label)!;
    expect(band('0–4')).toMatchObject({ F: 2, M: 1, unknown: 0 });
    expect(band('5–9')).toMatchObject({ F: 0, M: 0, unknown: 1 });
    expect(band('80–84')).toMatchObject({ M: 1 });
    expect(band('85+')).toMatchObject({ F: 3, M: 1, to: null });
    expect(profile.ageSex).toHaveLength(18);
    expect(profile.ageSex.reduce((s, b) => s + b.F + b.M + b.unknown, 0)).toBe(9);
  });

  it('puts a CNI on a band edge in the band that starts there, and keeps the missing apart', () => {
    const count = (label: string) => profile.cni.bands.find((b) => b.label === label)!.count;
    expect(count('under 0,8')).toBe(2);
    expect(count('0,8–1,0')).toBe(1);
    expect(count('1,5–2,0')).toBe(1);
    expect(count('2,0 och över')).toBe(2);
    expect(profile.cni.missing).toBe(3);
    expect(profile.cni.mean).toBeCloseTo((0.79 * 2 + 0.8 + 1.5 + 2.0 + 2.4) / 6, 12);
  });

  it('counts by rural class, an area without one last', () => {
    expect(profile.rural).toEqual([
      { ruralClass: '1', count: 3 },
      { ruralClass: '3', count: 3 },
      { ruralClass: null, count: 3 },
    ]);
  });
});
