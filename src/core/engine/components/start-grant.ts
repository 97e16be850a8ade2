import { formatDate, formatMonth, monthOf, monthsBetween } from '../../calendar.js';
import { formatKronor, sekToOre } from '../../money.js';
import type { ComponentOf } from '../../rulebook/schema.js';
import { componentResult, describeParam, emptyResult, param, rateStep } from '../component-result.js';
import type { ComponentContext, ComponentResult } from '../component-result.js';
import { rateOf, renderDerivation, type Derivation } from '../derivation.js';

/** Startbidrag: the first `months` months from the unit's start (the start month is month 1). */
export function evaluateStartGrant(c: ComponentOf<'start_grant'>, ctx: ComponentContext): ComponentResult {
  const month = ctx.month;
  const { units } = month.data;
  const amount = param(ctx, c.monthly_amount, 'monthly_amount');
  const amountOre = sekToOre(amount);
  const r = emptyResult(units.count);
  const monthNo = new Int32Array(units.count);
  const replaced = new Float64Array(units.count);
  const replacedLines = c.replaces.flatMap((id) => {
    const line = ctx.lines.get(id);
    return line ? [line] : [];
  });
  for (let u = 0; u < units.count; u++) {
    if (!month.active[u]) continue;
    const k = monthsBetween(monthOf(units.start[u]!), month.month) + 1;
    if (k < 1 || k > c.months) continue;
    monthNo[u] = k;
    let sum = 0;
    for (const id of c.replaces) sum += ctx.lines.get(id)?.amountOre[u] ?? 0;
    replaced[u] = sum;
    r.has[u] = 1;
    r.quantity[u] = 1;
    if (c.mode === 'guarantee') r.amountOre[u] = Math.max(0, amountOre - sum);
    else r.amountOre[u] = amountOre;
    if (c.mode === 'replace') {
      // The replaced lines' derivations are taken before any is zeroed: coverage reads capitation,
      // and the statement should show the computed amount and then its removal.
      const computed = replacedLines.map((line) => line.derivation(u));
      replacedLines.forEach((line, i) => {
        const d = computed[i];
        if (!d) return;
        line.amountOre[u] = 0;
        const before = line.derivation;
        const replacedBy = c.label;
        line.derivation = (x): Derivation =>
          x !== u
            ? before(x)
            : {
                rule: d.rule,
                steps: [
                  ...d.steps,
                  {
                    label: `Ersätts av ${replacedBy} under startperioden (månad ${k} av ${c.months}); beräknat belopp dras bort`,
                    amount_ore: -d.amount_ore,
                  },
                ],
                amount_ore: 0,
              };
        line.explain = (x) => renderDerivation(line.derivation(x));
      });
    }
  }
  const modeText = {
    add: 'betalas utöver övrig ersättning',
    replace: `ersätter ${c.replaces.join(', ')}`,
    guarantee: `garanterar minst beloppet tillsammans med ${c.replaces.join(', ')}`,
  }[c.mode];
  const grantRate = rateOf(c.monthly_amount, month.paramDate);
  const replacedLabels = c.replaces.map((id) => ctx.labelOf?.(id) ?? id).join(', ');
  const modeWords = {
    add: 'betalas utöver övrig ersättning',
    replace: `ersätter ${replacedLabels}`,
    guarantee: `garanterar minst beloppet tillsammans med ${replacedLabels}`,
  }[c.mode];
  const startOf = (u: number): string => formatDate(units.start[u] ?? 0);
  return componentResult(
    r,
    (u, amount) => ({
      rule: `Belopp per månad de första ${c.months} månaderna från enhetens startdatum; ${modeWords}`,
      steps: [
        rateStep(
          `Startmånad ${monthNo[u]} av ${c.months} (start ${startOf(u)})`,
          1,
          grantRate,
          'kr per månad',
          amountOre,
        ),
        ...(c.mode === 'guarantee'
          ? [
              { label: `Avgår: ${replacedLabels} denna månad`, amount_ore: -(replaced[u] ?? 0) },
              { label: 'Garantin, lägst 0', amount_ore: amount },
            ]
          : []),
      ],
    }),
    (u, amount) => [
      `Regel: ${describeParam(c.monthly_amount, month.paramDate, 'kr per månad')} de första ${c.months} månaderna från enhetens startdatum; ${modeText} (${c.source})`,
      `Startdatum ${startOf(u)}; ${formatMonth(month.month)} är månad ${monthNo[u]}`,
      ...(c.mode === 'guarantee'
        ? [`Summa av ${c.replaces.join(', ')}: ${formatKronor(replaced[u] ?? 0)}`]
        : []),
      `Belopp: ${formatKronor(amount)}`,
    ],
  );
}
