import { elementAt } from '../element.js';

/**
 * The profile of a unit's listed population on a cut-off day (listade personers sammansättning):
 * an age pyramid by sex in the five-year bands SCB uses, the Care Need Index of the areas they
 * live in, and their areas' rural class. Pure: the store hands in counted groups.
 */

export interface ListedGroup {
  /** completed years on the cut-off day */
  age: number;
  /** 0 unknown, 1 F, 2 M (as the data set codes it) */
  sex: number;
  cni: number | null;
  ruralClass: string | null;
  count: number;
}

interface AgeBand {
  label: string;
  from: number;
  /** exclusive; null for the open top band */
  to: number | null;
  F: number;
  M: number;
  unknown: number;
}

interface CniBand {
  label: string;
  from: number | null;
  to: number | null;
  count: number;
}

export interface ListedProfile {
  listed: number;
  ageSex: AgeBand[];
  cni: { mean: number | null; bands: CniBand[]; missing: number };
  rural: { ruralClass: string | null; count: number }[];
}

const TOP_BAND = 85;
/** CNI 1.0 is the national average need; the bands split below and above it. */
const CNI_EDGES = [0.8, 1.0, 1.2, 1.5, 2.0];

function ageBands(): AgeBand[] {
  const bands: AgeBand[] = [];
  for (let from = 0; from < TOP_BAND; from += 5)
    bands.push({ label: `${from}–${from + 4}`, from, to: from + 5, F: 0, M: 0, unknown: 0 });
  bands.push({ label: `${TOP_BAND}+`, from: TOP_BAND, to: null, F: 0, M: 0, unknown: 0 });
  return bands;
}

function cniBands(): CniBand[] {
  const fmt = (x: number) => x.toFixed(1).replace('.', ',');
  // Open below the first edge and above the last.
  const edges = [null, ...CNI_EDGES, null];
  return edges.slice(1).map((to, i): CniBand => {
    const from = edges[i] ?? null;
    const label =
      from === null
        ? `under ${fmt(to ?? 0)}`
        : to === null
          ? `${fmt(from)} och över`
          : `${fmt(from)}–${fmt(to)}`;
    return { label, from, to, count: 0 };
  });
}

export function listedProfile(groups: Iterable<ListedGroup>): ListedProfile {
  const ageSex = ageBands();
  const cni = cniBands();
  const rural = new Map<string | null, number>();
  let listed = 0;
  let cniSum = 0;
  let cniCount = 0;
  let missing = 0;
  for (const g of groups) {
    if (g.count <= 0) continue;
    listed += g.count;
    const band = elementAt(
      ageSex,
      Math.min(Math.floor(Math.max(0, g.age) / 5), ageSex.length - 1),
      'age band',
    );
    if (g.sex === 1) band.F += g.count;
    else if (g.sex === 2) band.M += g.count;
    else band.unknown += g.count;
    if (g.cni === null) missing += g.count;
    else {
      cniSum += g.cni * g.count;
      cniCount += g.count;
      const b = cni.find((x) => (x.from === null || g.cni! >= x.from) && (x.to === null || g.cni! < x.to))!;
      b.count += g.count;
    }
    rural.set(g.ruralClass, (rural.get(g.ruralClass) ?? 0) + g.count);
  }
  return {
    listed,
    ageSex,
    cni: { mean: cniCount > 0 ? cniSum / cniCount : null, bands: cni, missing },
    rural: [...rural.entries()]
      .map(([ruralClass, count]) => ({ ruralClass, count }))
      .sort((a, b) =>
        a.ruralClass === null ? 1 : b.ruralClass === null ? -1 : a.ruralClass < b.ruralClass ? -1 : 1,
      ),
  };
}
