import type { Statements } from '../../../core/engine/run.js';

/**
 * Three units as the engine would write them: öre that do not add up nicely as binary fractions,
 * a negative line, a unit without some components, and a name that tries HTML injection.
 */
export function sampleStatements(): Statements {
  const units: Statements['units'] = [
    {
      unit_id: 'SE2321000016-AAA1',
      name: 'Vårdcentral Åre & Duved',
      provider_id: '5585545352',
      ownership: 'private',
      lines: [
        {
          component: 'kapitering',
          type: 'capitation',
          label: 'Kapiteringsersättning',
          quantity: 5782,
          amount_ore: 132073841,
          explanation:
            '5 782 listade på brytdagen; 2 400 kr per år ÷ 12 × viktsumma 6 603,692 → 1 320 738,41 kr',
        },
        {
          component: 'besok',
          type: 'visit_fee',
          label: 'Besöksersättning',
          quantity: 92,
          amount_ore: 2081001,
          explanation: '92 besök av personer som inte är listade vid enheten → 20 810,01 kr',
          source: 'FFU 2025 avsnitt 9.4 <Besöksersättning>',
          derivation: {
            rule: 'Avgift per besök i månaden, efter yrkesgrupp och kontaktsätt',
            steps: [
              {
                label: 'läkare, fysiskt besök',
                quantity: 33,
                rate: 350,
                rate_unit: 'kr',
                valid_from: '2025-01-01',
                amount_ore: 1155000,
              },
              {
                label: 'sjuksköterska, telefonkontakt',
                quantity: 59,
                rate: 156.9493,
                rate_unit: 'kr',
                amount_ore: 926001,
              },
            ],
            amount_ore: 2081001,
          },
        },
        {
          component: 'vite',
          type: 'penalty',
          label: 'Vite för utebliven SIP',
          quantity: 1,
          amount_ore: -1000033,
          explanation: 'Avvikelse 2025-02-14 → -10 000,33 kr',
        },
        {
          component: 'moms',
          type: 'vat_compensation',
          label: 'Momskompensation',
          quantity: 1442547.09,
          amount_ore: 8655283,
          explanation: '6 % × 1 442 547,09 kr → 86 552,83 kr',
        },
      ],
      total_ore: 0,
    },
    {
      unit_id: 'SE2321000016-BBB2',
      name: 'Hälsocentral <script>alert("x")</script>',
      provider_id: '2321000016',
      ownership: 'public',
      lines: [
        {
          component: 'kapitering',
          type: 'capitation',
          label: 'Kapiteringsersättning',
          quantity: 1203,
          amount_ore: 27000007,
          explanation: '1 203 listade <b>på</b> brytdagen → 270 000,07 kr',
        },
        {
          component: 'geo',
          type: 'area_supplement',
          label: 'Geografiskt tillägg',
          quantity: 300,
          amount_ore: 333,
          explanation: 'glesbygd: 300 listade → 3,33 kr',
        },
      ],
      total_ore: 0,
    },
    {
      unit_id: 'SE2321000016-CCC3',
      name: 'Föreningen Vårdcentral Krokom',
      provider_id: '8076077141',
      ownership: 'nonprofit',
      lines: [
        {
          component: 'besok',
          type: 'visit_fee',
          label: 'Besöksersättning',
          quantity: 3,
          amount_ore: 10,
          explanation: '3 besök → 0,10 kr',
        },
        {
          component: 'moms',
          type: 'vat_compensation',
          label: 'Momskompensation',
          quantity: 0.1,
          amount_ore: 1,
          explanation: '6 % × 0,10 kr → 0,01 kr',
        },
      ],
      total_ore: 0,
    },
  ];
  for (const u of units) u.total_ore = u.lines.reduce((a, l) => a + l.amount_ore, 0);
  return {
    format: 'vardval-statements/1',
    identity: {
      month: '2025-03',
      rulebook: {
        id: 'exempel/vardval/2025',
        sha256: 'dc861b5ad63251abc5011746e70504e834417921bc73409c3bc43c7291a5578a',
      },
      inputs: [
        { file: 'listings.csv', sha256: 'b4e92b244ca9166766e490d5b62064433286c5248a9c10bc30d733bbadc32c5a' },
        { file: 'units.csv', sha256: '59de09f43bd6db594bdcbd3196c1da70edcd941b14843167387089c7fda4c651' },
      ],
      engine_version: '0.1.0',
    },
    units,
    total_ore: units.reduce((a, u) => a + u.total_ore, 0),
  };
}
