/**
 * The engine's version, written into every statement: the release in which what the engine
 * computes last changed. It is derived from ENGINE_CHANGES (newest last), so a new version is a
 * reviewed entry saying what changed, not a constant someone has to remember.
 *
 * ENGINE_FINGERPRINT is a hash of the engine's code with types, comments and layout taken away
 * (version.test.ts computes it). When the code changes, that test fails until someone decides:
 * if the engine now computes something else, add an entry here (a new version); if it computes
 * the same (a refactor), record the new fingerprint and keep the version.
 */

export interface EngineChange {
  version: string;
  /** What the engine computes differently from the version before, for the region's staff. */
  change: string;
}

export const ENGINE_CHANGES: readonly EngineChange[] = [
  { version: '0.1.0', change: 'Första motorn: regelbokens tio komponenttyper över en månads data.' },
  {
    version: '0.2.0',
    change:
      'Målrelaterad ersättning betalas på de indikatorer som räknas ur data (samma värde som i ' +
      'uppföljningen), och en körning av ett differentierat systems regelbok betalar bara systemets enheter.',
  },
  {
    version: '0.3.0',
    change:
      'Kapiteringen kan viktas med samsjuklighet (viktslaget comorbidity), en NSS-regelbok räknar upp ' +
      'nationella nivåer med index och delar glesbygdsrader mellan region och stat, och en simulering kan ' +
      'skala komponenterna budgetneutralt.',
  },
  {
    version: '0.4.0',
    change:
      'Ett vårdvalssystem kan avgränsas till tjänster (smala vårdval, t.ex. BVC, enligt kolumnen services i ' +
      'units.csv) och till områden och områdesklasser (kolumnen area); en enhet som erbjuder flera tjänster ' +
      'betalas av en regelbok per tjänst.' +
      ' ' +
      'Varje rad i utbetalningsunderlaget bär regelns källa (avsnittet i förfrågningsunderlaget) och en ' +
      'härledning i steg (antal, sats eller vikt, värdets giltighetsdatum, belopp); förklaringsmeningen ' +
      'skrivs ur härledningen och namnger tabellrader efter vad de är, t.ex. "läkare, fysiskt besök", ' +
      'inte efter deras plats i regelboksfilen. Ett startbidrag kan ersätta kapiteringen under startperioden ' +
      '(som Socialstyrelsens beskrivning av Sörmlands modell); raden visar det beräknade beloppet och att det dras bort.',
  },
];

const newest = ENGINE_CHANGES.at(-1);
if (!newest) throw new Error('ENGINE_CHANGES names no version');
export const ENGINE_VERSION: string = newest.version;

/** The fingerprint of the engine's code at ENGINE_VERSION (see version.test.ts). */
export const ENGINE_FINGERPRINT = 'fefa59371056ec83';
