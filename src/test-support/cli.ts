import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { main } from '../adapters/cli/main.js';

/** Runs `vardval ARGS…` in this process and returns its exit code and what it printed. */
export async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['node', 'vardval', ...args], { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/**
 * A temporary folder for the enclosing describe block whose `store` folder is the embedded store
 * the CLI uses (VARDVAL_HOME, no DATABASE_URL), with any further environment set; all is put back
 * and the folder removed afterwards.
 */
export function useCliHome(prefix: string, env: Record<string, string> = {}): { readonly dir: string } {
  const names = ['VARDVAL_HOME', 'DATABASE_URL', ...Object.keys(env)];
  const saved = new Map(names.map((name) => [name, process.env[name]]));
  let dir: string | undefined;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), prefix));
    process.env.VARDVAL_HOME = join(dir, 'store');
    delete process.env.DATABASE_URL;
    Object.assign(process.env, env);
  });
  afterAll(() => {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  return {
    get dir(): string {
      if (!dir) throw new Error('the CLI home is made in beforeAll');
      return dir;
    },
  };
}

/** Where a `pay` or `simulate` test reads and writes: the data folder, the month (default 2025-03), the output folder. */
interface MonthRun {
  data: string;
  month?: string;
  out: string;
}

/** `vardval pay` by the rulebooks, with any further options. */
export function cliPay(
  rulebooks: string[],
  { data, month = '2025-03', out }: MonthRun,
  ...options: string[]
) {
  return cli('pay', '--rulebook', ...rulebooks, '--data', data, '--month', month, '--out', out, ...options);
}

/** `vardval simulate` of the scenario's rulebooks against the base's, with any further options. */
export function cliSimulate(
  base: string[],
  scenario: string[],
  { data, month = '2025-03', out }: MonthRun,
  ...options: string[]
) {
  return cli(
    'simulate',
    '--base',
    ...base,
    '--scenario',
    ...scenario,
    '--data',
    data,
    '--month',
    month,
    '--out',
    out,
    ...options,
  );
}
