import type { Rulebook } from '../../core/rulebook/schema.js';
import {
  budgetNeutral,
  defaultScaled,
  scaledProblems,
  type BudgetNeutralResult,
  type ScenarioRun,
} from '../../core/simulation/budget-neutral.js';
import type { Statements } from '../../core/engine/run.js';
import { InputErrors } from './located-error.js';

/**
 * The scenario made budget-neutral against the base, for the command line and the web alike;
 * `where` names the input the components came from (`--scale`, `/scale`) in errors.
 */
export function runBudgetNeutral(options: {
  run: ScenarioRun;
  base: Statements;
  scenarioRulebooks: readonly Rulebook[];
  scale: readonly string[] | undefined;
  unitIds: readonly string[];
  where: string;
}): BudgetNeutralResult {
  const scale = options.scale ?? defaultScaled(options.scenarioRulebooks);
  const problems = scaledProblems(scale, options.scenarioRulebooks);
  const fail = (messages: string[]): never => {
    throw new InputErrors(
      messages.map((message) => ({ file: options.where, code: 'simulate.budget_neutral', message })),
      'Scenariot kan inte göras budgetneutralt',
    );
  };
  if (problems.length > 0) fail(problems);
  const outcome = budgetNeutral(options.run, options.base.total_ore, scale, options.unitIds);
  if (!outcome.ok) return fail([outcome.message]);
  return outcome.result;
}
