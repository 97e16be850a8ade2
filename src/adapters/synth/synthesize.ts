/**
 * The synthetic region: writes a data folder in the format of spec/data-exchange.md (units, areas,
 * listings, visits, indicators, events) that looks like a real Swedish region (Jämtland Härjedalen's
 * kommuner), deterministic for a seed, generated person by person with bounded memory.
 *
 * A pipeline: the period, areas, units, then person by person their listings, visits and events,
 * then the indicators counted meanwhile. Each step draws from its own random stream or, in the
 * person loop, from one shared stream in a fixed order, so a seed gives the same files byte for byte.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DATA_FILES } from '../../core/data/files.js';
import { makeAreas } from './areas.js';
import { CsvOut } from './csv-out.js';
import { EventWriter, SipDraw } from './events.js';
import { identityPools } from './identities.js';
import { FollowUpTallies, writeIndicators } from './indicators.js';
import { ListingDraw, Segments } from './listings.js';
import { makePeriod } from './period.js';
import { Person, PersonDraw } from './persons.js';
import { Rng } from './rng.js';
import { UnitPicker, makeUnits } from './units.js';
import { VisitDraw } from './visits.js';

export interface SynthOptions {
  /** the data folder to write (created if missing; files in it are overwritten) */
  out: string;
  population: number;
  seed: number;
  /** first month, YYYY-MM */
  from: string;
  /** last month (inclusive), YYYY-MM */
  to: string;
  /** folder holding skatteverket-testpersonnummer.csv and skatteverket-testsamordningsnummer.csv */
  identityDir: string;
  /** About how many persons per unit (default 9 000, roughly the Swedish average vårdcentral). */
  personsPerUnit?: number;
  onProgress?: (done: number, total: number, step: string) => void;
}

export interface SynthSummary {
  persons: number;
  units: number;
  areas: number;
  listings: number;
  visits: number;
  indicators: number;
  events: number;
  /** paths of the files written */
  files: string[];
}

/** The data files synthesize writes: every file of the data folder's table. */
export const SYNTH_FILES = DATA_FILES;

export async function synthesize(opts: SynthOptions): Promise<SynthSummary> {
  const N = opts.population;
  if (!Number.isInteger(N) || N < 1)
    throw new Error(`synthesize: population must be a positive integer, got ${N}`);
  if (!Number.isFinite(opts.seed)) throw new Error(`synthesize: seed must be a finite number`);
  const period = makePeriod(opts.from, opts.to);
  const progress = opts.onProgress ?? (() => {});
  const { pnr, snr } = identityPools(opts.identityDir);
  const outDir = opts.out;
  mkdirSync(outDir, { recursive: true });

  const setup = new Rng(opts.seed, 1);
  progress(0, N, 'områden');
  const areas = makeAreas(setup, N, outDir);
  progress(0, N, 'enheter');
  const units = makeUnits(setup, N, opts.personsPerUnit, period, outDir);

  // Persons, one at a time with bounded memory: their listings, visits and events in that order.
  const rng = new Rng(opts.seed, 2);
  const frng = new Rng(opts.seed, 4);
  const tallies = new FollowUpTallies(units.count, period.months);
  const pick = new UnitPicker(units, rng);
  const listingsOut = new CsvOut(join(outDir, 'listings.csv'), 'listings.csv');
  const visitsOut = new CsvOut(join(outDir, 'visits.csv'), 'visits.csv');
  const events = new EventWriter(new CsvOut(join(outDir, 'events.csv'), 'events.csv'));
  const persons = new PersonDraw(rng, period, areas, pnr, snr);
  const listings = new ListingDraw(rng, period, areas, units, pick, listingsOut, tallies);
  const visits = new VisitDraw(rng, frng, period, units, pick, visitsOut, events, tallies);
  const sip = new SipDraw(rng, frng, period, units, events, N);
  const person = new Person();
  const segments = new Segments();
  const progressEvery = Math.max(1000, Math.min(50_000, Math.ceil(N / 100)));
  for (let i = 0; i < N; i++) {
    if (i % progressEvery === 0) {
      progress(i, N, 'personer');
      if (i > 0) await new Promise<void>((resolve) => setImmediate(resolve));
    }
    persons.next(person);
    listings.next(person, segments);
    visits.next(person, segments, listings.neverListed);
    sip.next(person, segments);
  }
  progress(N, N, 'personer');
  listingsOut.close();
  visitsOut.close();
  events.out.close();

  progress(N, N, 'indikatorer');
  const indicatorRows = writeIndicators(opts.seed, period, units, tallies, outDir);
  progress(N, N, 'klart');

  return {
    persons: N,
    units: units.count,
    areas: areas.count,
    listings: listingsOut.rows,
    visits: visitsOut.rows,
    indicators: indicatorRows,
    events: events.out.rows,
    files: SYNTH_FILES.map((f) => join(outDir, f)),
  };
}
