import { join } from 'node:path';
import { apportion } from './apportion.js';
import { CsvOut } from './csv-out.js';
import { KOMMUNER } from './data.js';
import type { Rng } from './rng.js';

/** Persons per DeSO-style area. */
const PERSONS_PER_AREA = 1500;

/** The areas persons live in, sorted by code. */
export interface Areas {
  count: number;
  code: string[];
  /** Index into KOMMUNER. */
  kommun: Int32Array;
  /** Cumulative weights for drawing a person's area: each kommun's share follows its population. */
  cum: Float64Array;
}

interface Area {
  code: string;
  kommun: number;
  letter: string;
  cni: number;
  rural: string;
  km: number;
  weight: number;
}

/** DeSO-style areas (kommun code, A/B/C for rural to urban, a number), written to areas.csv. */
export function makeAreas(setup: Rng, population: number, outDir: string): Areas {
  const K = KOMMUNER.length;
  const A = Math.max(8, Math.round(population / PERSONS_PER_AREA));
  const areaKommunOf = apportion(
    A,
    KOMMUNER.map((k) => k.pop),
    1,
  );
  const areaList: Area[] = [];
  for (let i = 0; i < A; i++) {
    const kommun = areaKommunOf[i]!;
    const k = KOMMUNER[kommun]!;
    const urban = k.urban;
    const x = setup.next();
    const letter = x < urban * 0.85 ? 'C' : x < urban * 0.85 + 0.3 ? 'B' : 'A';
    const y = setup.next();
    const rural =
      letter === 'C'
        ? 'tatort'
        : letter === 'B'
          ? y < 0.6
            ? 'tatort'
            : 'landsbygd'
          : y < 0.45
            ? 'landsbygd'
            : 'glesbygd';
    const extra =
      rural === 'tatort'
        ? setup.uniform(0, 8)
        : rural === 'landsbygd'
          ? setup.uniform(8, 40)
          : setup.uniform(30, 120);
    const km = Math.round((k.hospitalKm + extra) * 10) / 10;
    const cni = Math.min(2.5, Math.max(0.5, Math.exp(setup.normal() * 0.3 - 0.05)));
    areaList.push({
      code: '',
      kommun,
      letter,
      cni: Math.round(cni * 100) / 100,
      rural,
      km,
      weight: setup.uniform(0.5, 1.5),
    });
  }
  nameAreas(areaList);
  const cum = new Float64Array(A);
  const perKommun = new Float64Array(K);
  for (const a of areaList) perKommun[a.kommun]! += a.weight;
  let s = 0;
  for (let i = 0; i < A; i++) {
    const a = areaList[i]!;
    s += (a.weight / perKommun[a.kommun]!) * KOMMUNER[a.kommun]!.pop;
    cum[i] = s;
  }
  const f = new CsvOut(join(outDir, 'areas.csv'), 'areas.csv');
  for (const a of areaList)
    f.add(`${a.code},${KOMMUNER[a.kommun]!.code},${a.cni.toFixed(2)},${a.rural},${a.km.toFixed(1)}\n`);
  f.close();
  return {
    count: A,
    code: areaList.map((a) => a.code),
    kommun: Int32Array.from(areaList.map((a) => a.kommun)),
    cum,
  };
}

/** Codes numbered 0010, 0020, … within each kommun and letter; the list sorted by code. */
function nameAreas(areaList: Area[]): void {
  const groups = new Map<string, Area[]>();
  for (const a of areaList) {
    const key = KOMMUNER[a.kommun]!.code + a.letter;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(a);
  }
  for (const [key, g] of groups) {
    const step = g.length * 10 <= 9990 ? 10 : 1;
    g.forEach((a, j) => (a.code = key + String(step === 10 ? (j + 1) * 10 : 10 + j).padStart(4, '0')));
  }
  areaList.sort((p, q) => (p.code < q.code ? -1 : p.code > q.code ? 1 : 0));
}
