/**
 * The bench's rulebook: one capitation with all three person-level weight kinds, a visit fee with
 * every kind of fee row, and coverage over a 12-month window. It is a rulebook like any other
 * (validated by the same code), and the DuckDB query is generated from its parsed values.
 */
export const BENCH_MONTH = '2025-03';

export const BENCH_RULEBOOK_YAML = `id: bench/vardval/2025
region: {code: Z, name: Region Prestandatest}
system: vardval
title: Prestandatest – kapitering, besöksersättning och täckningsgrad
valid_from: 2025-01-01
valid_to: 2025-12-31
source: Prestandatestets regelbok (src/bench), inte en regions ersättningsmodell
compensation:
  components:
    - id: kapitering
      type: capitation
      label: Kapiteringsersättning
      source: "Prestandatest: kapitering med ålder och kön, riskgrupp och CNI"
      annual_amount: {2024-01-01: 2310, 2025-01-01: 2397.5}
      parts:
        - share: 0.5
          weight:
            kind: age_sex
            table:
              - {from: 0, to: 1, F: 2.05, M: 2.3}
              - {from: 1, to: 7, F: 1.21, M: 1.33}
              - {from: 7, to: 20, F: 0.7, M: 0.65}
              - {from: 20, to: 45, F: 0.87, M: 0.71}
              - {from: 45, to: 65, F: 1.02, M: 0.95}
              - {from: 65, to: 80, F: 1.61, M: 1.57}
              - {from: 80, to: 200, F: 2.43, M: 2.29}
        - share: 0.3
          weight:
            kind: risk_group
            table: {RUB0: 0.37, RUB1: 0.61, RUB2: 1.0, RUB3: 1.83, RUB4: 3.17}
            default: 4.4
            missing: 0.83
        - share: 0.2
          weight: {kind: cni, reference: 1.07}
    - id: besok
      type: visit_fee
      label: Besöksersättning
      source: "Prestandatest: avgift per besök efter yrke och kontaktsätt"
      applies_to: all
      fees:
        - {profession: lakare, contact: fysiskt, amount: 352.5}
        - {profession: lakare, contact: digitalt, amount: 198}
        - {profession: lakare, amount: 255}
        - {profession: sjukskoterska, amount: 149.5}
        - {profession: distriktsskoterska, contact: hembesok, amount: 410}
        - {profession: distriktsskoterska, amount: 161}
        - {contact: telefon, amount: 61.25}
        - {contact: hembesok, amount: 505}
      default: 103
    - id: tackning
      type: coverage
      label: Täckningsgrad
      source: "Prestandatest: täckningsgrad över 12 månader"
      window_months: 12
      counted:
        professions: [lakare, sjukskoterska, distriktsskoterska]
        contacts: [fysiskt, digitalt, hembesok]
      base: kapitering
      factor: [[0.45, 0.93], [0.6, 1.0], [0.8, 1.06]]
`;

/**
 * The same month with half the risk group share weighted by the open comorbidity grouper instead
 * (src/core/risk): what the grouping and the comorbidity weight add to the engine's month.
 */
export const BENCH_COMORBIDITY_RULEBOOK_YAML = BENCH_RULEBOOK_YAML.replace(
  `        - share: 0.3
          weight:
            kind: risk_group`,
  `        - share: 0.15
          weight:
            kind: comorbidity
            weights: charlson_1987
            table: {"0": 0.8, "1": 1.3, "2": 1.7, "3-4": 2.3, "5+": 3.2}
            default: 1
        - share: 0.15
          weight:
            kind: risk_group`,
);
