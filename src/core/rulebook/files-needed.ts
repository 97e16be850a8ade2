import type { DataFileName } from '../data/files.js';
import { computedDefinitions } from '../followup/indicators.js';
import type { Component, Rulebook } from './schema.js';

/** The data files a rulebook's components read. */
export function filesNeeded(rulebook: Rulebook): DataFileName[] {
  const need = new Set<DataFileName>(['units.csv', 'areas.csv', 'listings.csv']);
  for (const c of rulebook.compensation.components) {
    if (c.type === 'visit_fee' || c.type === 'coverage' || c.type === 'visits_elsewhere_charge')
      need.add('visits.csv');
    if (c.type === 'goal') need.add('indicators.csv');
    if (c.type === 'penalty') need.add('events.csv');
    if (usesComorbidity(c)) need.add('visits.csv');
  }
  // A goal pays computed indicators from the data they are computed from.
  if (rulebook.compensation.components.some((c) => c.type === 'goal')) {
    for (const compute of computedDefinitions(rulebook.follow_up.indicators).values()) {
      need.add(compute.kind === 'event_share' ? 'events.csv' : 'visits.csv');
    }
  }
  return [...need];
}

/** Whether a component weights capitation by comorbidity (and so needs the comorbidity maps). */
function usesComorbidity(c: Component): boolean {
  return c.type === 'capitation' && c.parts.some((p) => p.weight.kind === 'comorbidity');
}

/** Whether any of the rulebook's components needs the comorbidity maps. */
export function needsComorbidity(rulebook: Rulebook): boolean {
  return rulebook.compensation.components.some(usesComorbidity);
}
