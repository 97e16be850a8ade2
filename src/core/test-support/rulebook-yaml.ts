/**
 * Rulebook components as YAML that many core tests build on: a capitation `kap` and a goal `mal`
 * (wrap them with rulebookYaml from src/test-support/cases.ts).
 */

/** A capitation component `kap` (FFU 9.2): one flat part unless `parts` (the YAML after `parts:`) says otherwise. */
export function capitationYaml(
  annual: string | number = 1200,
  parts = '[{share: 1, weight: {kind: flat}}]',
): string {
  return `
- id: kap
  type: capitation
  label: Kapitering
  source: "FFU 9.2"
  annual_amount: ${annual}
  parts: ${parts}`;
}

/** `kap` with a flat weight and 1 200 kr a year. */
export const FLAT_CAPITATION = capitationYaml();

/**
 * A goal component `mal` (FFU 9.6): 120 kr a year per listed, for quarters, paid a month after the
 * quarter; `indicators` is the YAML list of its indicators (indented four spaces).
 */
export function goalYaml(indicators: string): string {
  return `
- id: mal
  type: goal
  label: Målrelaterad ersättning
  source: "FFU 9.6"
  annual_per_listed: 120
  period_months: 3
  lag_months: 1
  indicators:
${indicators}`;
}
