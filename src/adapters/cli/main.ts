import { OWNERSHIP_SV, ownershipSv } from '../../core/labels.js';
import { countSv } from '../exports/common.js';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { connectionFormSv } from '../../core/contracts/contracts.js';
import { explainUnit, type Statements } from '../../core/engine/run.js';
import { formatKronor, formatNumber } from '../../core/money.js';
import { rulebookJsonSchema } from '../../core/rulebook/schema.js';
import { simulateMonth } from '../../app/simulation.js';
import { loadDataFolder } from '../files/data-folder/index.js';
import { InputErrors, formatLocated } from '../files/located-error.js';
import { filesNeeded, pay, payDifferentiated, requireMonth, runLoaded } from '../files/payment-run.js';
import { loadContracts } from '../files/contracts-files.js';
import { formatDate } from '../../core/calendar.js';
import { loadRulebookFile } from '../files/rulebook-file.js';
import { simulationCsv, simulationSummary } from '../exports/simulation-files.js';
import { renderShares } from './shares-table.js';
import { writeStatements } from '../exports/statements-files.js';
import { synthesize } from '../synth/synthesize.js';
import { connect } from '../store/connection.js';
import { seedDemoIfEmpty } from '../demo/demo.js';
import { ROLES, UserError, createUser, setApproverRight, writeAudit } from '../store/users.js';
import { startServer } from '../http/server.js';
import { Progress } from './progress.js';
import { registerBackupCommands } from './backup-command.js';
import { registerProcurementCommands } from './procurement-commands.js';
import { renderTable } from './table.js';
import { registerCompareCommand } from './compare-command.js';
import { registerRiskCommand } from './risk-command.js';

/** The checkout's root (bin/, rulebooks/, fixtures/), found from this compiled file. */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
}

const defaultIo: Io = {
  out: (t) => process.stdout.write(`${t}\n`),
  err: (t) => process.stderr.write(`${t}\n`),
};

function summaryTable(s: Statements, listed: (unitId: string) => number): string {
  const rows = s.units.map((u) => [
    u.unit_id,
    u.name,
    OWNERSHIP_SV[u.ownership],
    formatNumber(listed(u.unit_id)),
    String(u.lines.length),
    formatKronor(u.total_ore),
  ]);
  rows.push(['Summa', countSv(s.units.length, 'enhet', 'enheter'), '', '', '', formatKronor(s.total_ore)]);
  return renderTable(['Enhet', 'Namn', 'Ägarform', 'Listade', 'Rader', 'Att betala'], rows, [
    false,
    false,
    false,
    true,
    true,
    true,
  ]);
}

/** With contracts: the units no contract pays, and how group contracts split the money. */
function contractSummary(s: Statements): string[] {
  if (!s.unpaid_units) return [];
  const out: string[] = [];
  if (s.unpaid_units.length > 0) {
    out.push(`\nEnheter utan utbetalning (${s.unpaid_units.length})`);
    out.push(
      renderTable(
        ['Enhet', 'Skäl'],
        s.unpaid_units.map((u) => [u.unit_id, u.reason]),
        [false, false],
      ),
    );
  }
  const split = s.units.filter((u) => u.contract && u.contract.payees.length > 1);
  if (split.length > 0) {
    out.push(`\nDelade utbetalningar (${countSv(split.length, 'enhet', 'enheter')} med gemensamt avtal)`);
    out.push(
      renderTable(
        ['Enhet', 'Avtal', 'Vårdgivare', 'Andel', 'Belopp'],
        split.flatMap((u) =>
          u.contract!.payees.map((p) => [
            u.unit_id,
            u.contract!.contract_id,
            `${p.provider_id}${p.provider_id === u.contract!.provider_id ? ' (huvudman)' : ''}`,
            `${p.share_percent} %`,
            formatKronor(p.amount_ore),
          ]),
        ),
        [false, false, false, true, true],
      ),
    );
  }
  return out;
}

function dataProgress(label: string): {
  progress: Progress;
  onProgress: (file: string, done: number, total: number) => void;
} {
  const progress = new Progress(label);
  return { progress, onProgress: (file, done, total) => progress.update(done, total, file) };
}

export function buildProgram(io: Io = defaultIo): Command {
  const program = new Command();
  program
    .name('vardval')
    .description('Vårdval: förfrågningsunderlag som kod och månadens utbetalning till vårdcentralerna')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });

  program
    .command('pay')
    .description(
      'Kör månadens utbetalning: skriver statements.json, statements.csv och payees.csv och visar en summering per enhet',
    )
    .requiredOption(
      '--rulebook <file...>',
      'regelbok (YAML); flera regelböcker med scope för ett differentierat vårdval',
    )
    .requiredOption('--data <dir>', 'datamapp med units.csv, listings.csv, …')
    .requiredOption('--month <YYYY-MM>', 'månad')
    .requiredOption('--out <dir>', 'mapp för utbetalningsunderlagen')
    .action((o: { rulebook: [string, ...string[]]; data: string; month: string; out: string }) => {
      if (o.rulebook.length > 1) return payDifferentiatedCommand(io, { ...o, rulebooks: o.rulebook });
      const { progress, onProgress } = dataProgress('Läser data');
      const result = pay({ rulebookFile: o.rulebook[0], dataDir: o.data, month: o.month, onProgress });
      progress.stop();
      const files = writeStatements(o.out, result.statements);
      const listed = listedLookup(result.detail.month.listedCount, result.data.units.id);
      io.out(
        `Utbetalning ${result.statements.identity.month} enligt ${result.rulebook.rulebook.id} (${result.rulebook.rulebook.title})`,
      );
      io.out(summaryTable(result.statements, listed));
      for (const text of contractSummary(result.statements)) io.out(text);
      io.out(`Skrev ${files.join(', ')}`);
    });

  program
    .command('validate')
    .description('Granskar en regelbok och, med --data, en datamapp')
    .requiredOption('--rulebook <file>', 'regelbok (YAML)')
    .option('--data <dir>', 'datamapp att granska mot regelboken')
    .option('--month <YYYY-MM>', 'granska även en körning av månaden')
    .action((o: { rulebook: string; data?: string; month?: string }) => {
      const rb = loadRulebookFile(o.rulebook);
      io.out(
        `${o.rulebook}: regelboken ${rb.rulebook.id} är giltig (${rb.rulebook.compensation.components.length} ersättningskomponenter, ${rb.rulebook.requirements.length} krav)`,
      );
      if (rb.overlay) {
        const kinds = { changed: 'ändrat', added: 'tillagt', removed: 'borttaget' } as const;
        io.out(
          `Överlägg på ${rb.overlay.baseId} (${rb.overlay.baseFile}), ${rb.overlay.changes.length} ändringar:`,
        );
        for (const c of rb.overlay.changes) io.out(`  ${c.path}: ${kinds[c.kind]}`);
      }
      if (o.data) {
        const { progress, onProgress } = dataProgress('Läser data');
        const data = loadDataFolder(o.data, { require: filesNeeded(rb.rulebook), onProgress });
        progress.stop();
        const contracts = loadContracts(o.data, data.units);
        const files = [...data.files, ...(contracts?.files ?? [])];
        io.out(
          `${o.data}: datamappen är giltig (${files.map((f) => `${f.name} ${countSv(f.rows, 'rad', 'rader')}`).join(', ')})`,
        );
        if (o.month) {
          runLoaded(rb, data, requireMonth(o.month));
          io.out(`${o.month}: månaden kan köras`);
        }
      }
    });

  program
    .command('explain')
    .description('Visar hela härledningen av en enhets rad: parametrar som gäller, antal och delsummor')
    .requiredOption('--rulebook <file>', 'regelbok (YAML)')
    .requiredOption('--data <dir>', 'datamapp')
    .requiredOption('--month <YYYY-MM>', 'månad')
    .requiredOption('--unit <id>', 'enhetens id (HSA-id)')
    .option('--component <id>', 'bara denna komponent')
    .action((o: { rulebook: string; data: string; month: string; unit: string; component?: string }) => {
      const result = pay({ rulebookFile: o.rulebook, dataDir: o.data, month: o.month });
      if (
        o.component &&
        !result.rulebook.rulebook.compensation.components.some((c) => c.id === o.component)
      ) {
        throw new InputErrors([
          {
            file: o.rulebook,
            code: 'cli.unknown_component',
            message: `Komponenten ${o.component} finns inte; finns: ${result.rulebook.rulebook.compensation.components.map((c) => c.id).join(', ')}`,
          },
        ]);
      }
      const explained = explainUnit(result.detail, result.data, o.unit, o.component);
      if (!explained)
        throw new InputErrors([
          {
            file: 'units.csv',
            code: 'cli.unknown_unit',
            message: `Enheten ${o.unit} finns inte eller är inte aktiv ${o.month}`,
          },
        ]);
      const unpaid = result.statements.unpaid_units?.find((u) => u.unit_id === o.unit);
      if (unpaid) {
        io.out(`${o.unit} får ingen utbetalning ${o.month}: ${unpaid.reason}`);
        return;
      }
      const statement = result.statements.units.find((u) => u.unit_id === o.unit)!;
      io.out(
        `${statement.unit_id} ${statement.name} (${OWNERSHIP_SV[statement.ownership]}), ${o.month}, regelbok ${result.rulebook.rulebook.id} sha256 ${result.rulebook.sha256.slice(0, 12)}…`,
      );
      for (const e of explained) {
        const line = statement.lines.find((l) => l.component === e.component);
        io.out('');
        io.out(`${e.component}${line ? `: ${line.label}: ${formatKronor(line.amount_ore)}` : ''}`);
        for (const row of e.rows.slice(line ? 1 : 0)) io.out(`  ${row}`);
      }
      if (!o.component) io.out(`\nSumma: ${formatKronor(statement.total_ore)}`);
      const c = statement.contract;
      if (c && !o.component) {
        io.out(
          `Avtal ${c.contract_id} (${connectionFormSv(c.connection_form)}, huvudman ${c.provider_id}, ${c.start_date}–${c.end_date ?? ''})`,
        );
        for (const p of c.payees)
          io.out(`  ${p.provider_id}: ${p.share_percent} %: ${formatKronor(p.amount_ore)}`);
      }
    });

  program
    .command('simulate')
    .description(
      'Samma månad under två regelböcker: skillnad per enhet och komponent, per ägarform och områdesklass',
    )
    .requiredOption('--base <file...>', 'nuvarande regelbok (flera med scope: differentierat vårdval)')
    .requiredOption('--scenario <file...>', 'regelbok att pröva (flera med scope: differentierat vårdval)')
    .requiredOption('--data <dir>', 'datamapp')
    .requiredOption('--month <YYYY-MM>', 'månad')
    .requiredOption('--out <dir>', 'mapp för CSV-filerna')
    .option('--top <n>', 'antal vinnare och förlorare att visa', '5')
    .option(
      '--budget-neutral',
      'skala komponenter med en faktor så att scenariot kostar lika mycket som nu (totalen stämmer på öret)',
    )
    .option(
      '--scale <ids>',
      'komponenter att skala, kommaseparerade (standard: alla utom viten, moms och de som räknas på andra rader)',
    )
    .action(
      (o: {
        base: string[];
        scenario: [string, ...string[]];
        data: string;
        month: string;
        out: string;
        top: string;
        budgetNeutral?: boolean;
        scale?: string;
      }) => {
        const month = requireMonth(o.month);
        const bases = o.base.map((f) => loadRulebookFile(f));
        const [first, ...others] = o.scenario;
        const scenario = loadRulebookFile(first);
        const scenarios = [scenario, ...others.map((f) => loadRulebookFile(f))];
        const need = [...new Set([...bases, ...scenarios].flatMap((r) => filesNeeded(r.rulebook)))];
        const { progress, onProgress } = dataProgress('Läser data');
        const data = loadDataFolder(o.data, { require: need, onProgress });
        progress.stop();
        const contracts = loadContracts(o.data, data.units);
        // Each unit under the rulebook of its system, in the base and in the scenario alike; with
        // contracts, only the units a contract pays.
        const outcome = simulateMonth({
          data,
          month,
          base: bases,
          scenario: scenarios,
          contracts,
          budgetNeutral:
            o.budgetNeutral || o.scale !== undefined
              ? {
                  scale: o.scale
                    ?.split(',')
                    .map((x) => x.trim())
                    .filter((x) => x !== ''),
                  where: '--scale',
                }
              : undefined,
        });
        const { neutral, scenarioDate, simulation: sim } = outcome;
        const b = { statements: outcome.base };
        const s = { statements: outcome.unscaled };
        const scenarioStatements = outcome.scenario;
        mkdirSync(o.out, { recursive: true });
        const files = {
          ...simulationCsv(sim),
          'simulation-summary.json': simulationSummary(b.statements, scenarioStatements, neutral),
        };
        for (const [name, body] of Object.entries(files)) writeFileSync(join(o.out, name), body);
        const top = Math.max(1, Number(o.top) || 5);
        const sorted = [...sim.units].sort(
          (x, y) => y.diff_ore - x.diff_ore || (x.unit_id < y.unit_id ? -1 : 1),
        );
        const fmtRows = (list: typeof sim.units) =>
          list.map((u) => [
            u.unit_id,
            u.name,
            ownershipSv(u.ownership),
            formatKronor(u.base_ore),
            formatKronor(u.scenario_ore),
            formatKronor(u.diff_ore),
          ]);
        const headers = ['Enhet', 'Namn', 'Ägarform', 'Nu', 'Scenario', 'Skillnad'];
        const right = [false, false, false, true, true, true];
        io.out(
          `Simulering ${o.month}: ${b.statements.identity.rulebook.id} → ${s.statements.identity.rulebook.id}`,
        );
        if (scenarioDate !== undefined) {
          io.out(
            `Scenariot gäller ${scenario.rulebook.valid_from}–${scenario.rulebook.valid_to}: det tillämpas på ${o.month}s data med parametrar som gäller ${formatDate(scenarioDate)}`,
          );
        }
        if (neutral) {
          io.out(
            `Budgetneutralt: ${neutral.scaled.join(', ')} skalas med faktor ${formatNumber(Math.round(neutral.factor * 1e6) / 1e6)} (scenariot utan skalning: ${formatKronor(neutral.unscaledOre)})`,
          );
          if (neutral.residualOre !== 0)
            io.out(
              `Obs: totalen skiljer ${formatKronor(neutral.residualOre)} från nuvarande efter avrundning`,
            );
        }
        io.out(
          `Totalt: ${formatKronor(sim.total.base_ore)} → ${formatKronor(sim.total.scenario_ore)} (${formatKronor(sim.total.diff_ore)})\n`,
        );
        io.out('Andel av totalen per komponent');
        io.out(renderShares(b.statements, s.statements, neutral?.statements));
        io.out('');
        io.out('Största vinnare');
        io.out(renderTable(headers, fmtRows(sorted.slice(0, top).filter((u) => u.diff_ore > 0)), right));
        io.out('\nStörsta förlorare');
        io.out(
          renderTable(
            headers,
            fmtRows(
              sorted
                .reverse()
                .slice(0, top)
                .filter((u) => u.diff_ore < 0),
            ),
            right,
          ),
        );
        const totalsRows = (list: typeof sim.byOwnership, name: (k: string) => string) =>
          list.map((t) => [
            name(t.key),
            String(t.units),
            formatKronor(t.base_ore),
            formatKronor(t.scenario_ore),
            formatKronor(t.diff_ore),
          ]);
        io.out('\nPer ägarform');
        io.out(
          renderTable(
            ['Ägarform', 'Enheter', 'Nu', 'Scenario', 'Skillnad'],
            totalsRows(sim.byOwnership, ownershipSv),
            [false, true, true, true, true],
          ),
        );
        io.out('\nPer områdesklass (de listades huvudsakliga)');
        io.out(
          renderTable(
            ['Områdesklass', 'Enheter', 'Nu', 'Scenario', 'Skillnad'],
            totalsRows(sim.byRuralClass, (k) => k),
            [false, true, true, true, true],
          ),
        );
        io.out(
          `\nSkrev ${Object.keys(files)
            .map((f) => join(o.out, f))
            .join(', ')}`,
        );
      },
    );

  program
    .command('synth')
    .description('Skapar en syntetisk region (datamapp) som ser verklig ut; samma frö ger samma filer')
    .requiredOption('--out <dir>', 'datamapp att skriva')
    .requiredOption('--population <n>', 'antal personer')
    .option('--seed <n>', 'frö', '1')
    .requiredOption('--from <YYYY-MM>', 'första månaden')
    .requiredOption('--to <YYYY-MM>', 'sista månaden')
    .action(async (o: { out: string; population: string; seed: string; from: string; to: string }) => {
      const population = Number(o.population);
      if (!Number.isInteger(population) || population < 100)
        throw new InputErrors([
          {
            file: '--population',
            code: 'cli.bad_number',
            message: 'population ska vara ett heltal, minst 100',
          },
        ]);
      const from = requireMonth(o.from);
      const to = requireMonth(o.to);
      if (to < from)
        throw new InputErrors([{ file: '--to', code: 'cli.bad_month', message: '--to ligger före --from' }]);
      const progress = new Progress('Skapar region');
      const summary = await synthesize({
        out: o.out,
        population,
        seed: Number(o.seed) || 0,
        from: o.from,
        to: o.to,
        identityDir: join(PROJECT_ROOT, 'fixtures', 'identity'),
        onProgress: (done, total, step) => progress.update(done, total, step),
      });
      progress.stop();
      io.out(
        `Skrev ${o.out}: ${formatNumber(summary.persons)} personer, ${summary.units} enheter, ${summary.areas} områden, ${formatNumber(summary.listings)} listningar, ${formatNumber(summary.visits)} besök, ${formatNumber(summary.indicators)} indikatorrader, ${formatNumber(summary.events)} händelser`,
      );
    });

  program
    .command('schema')
    .description('Skriver JSON Schema för regelböcker (för editorer)')
    .option('--out <file>', 'fil att skriva', join(PROJECT_ROOT, 'schema', 'rulebook.schema.json'))
    .action((o: { out: string }) => {
      mkdirSync(dirname(o.out), { recursive: true });
      writeFileSync(o.out, `${JSON.stringify(rulebookJsonSchema(), null, 2)}\n`);
      io.out(`Skrev ${o.out}`);
    });

  program
    .command('demo')
    .description(
      'Skapar en exempelregion (om den saknas) och kör en månads utbetalning med exempelregelboken',
    )
    .option('--dir <dir>', 'arbetsmapp', join(PROJECT_ROOT, 'var', 'demo'))
    .option('--month <YYYY-MM>', 'månad', '2025-03')
    .action(async (o: { dir: string; month: string }) => {
      const data = join(o.dir, 'data');
      if (!existsSync(join(data, 'units.csv'))) {
        io.out(`Skapar en syntetisk region med 20 000 invånare i ${data} …`);
        await program.parseAsync([
          'node',
          'vardval',
          'synth',
          '--out',
          data,
          '--population',
          '20000',
          '--seed',
          '2025',
          '--from',
          '2024-01',
          '--to',
          '2025-12',
        ]);
      }
      await program.parseAsync([
        'node',
        'vardval',
        'pay',
        '--rulebook',
        join(PROJECT_ROOT, 'rulebooks', 'exempel', 'vardval-2025.yaml'),
        '--data',
        data,
        '--month',
        o.month,
        '--out',
        join(o.dir, 'out', o.month),
      ]);
    });

  registerCompareCommand(program, PROJECT_ROOT, io.out);
  registerRiskCommand(program, io.out);

  program
    .command('serve')
    .description(
      'Startar servern (API och webbgränssnitt); inbyggd databas med demoregion om inget DATABASE_URL anges',
    )
    .option('--port <port>', 'port (annars PORT eller 3000)')
    .action(async (o: { port?: string }) => {
      const started = await startServer({ port: o.port ? Number(o.port) : undefined, say: io.out });
      await new Promise<void>((resolve) => {
        const stop = () => {
          io.out('Stänger servern …');
          void started.close().then(resolve);
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });

  const users = program.command('users').description('Användare av webbgränssnittet');
  users
    .command('add')
    .description(
      'Skapar en användare i lagret som servern använder (DATABASE_URL, annars VARDVAL_HOME eller var/store); ett nytt inbyggt lager får först demoregionen',
    )
    .requiredOption('--username <namn>', 'användarnamn')
    .requiredOption('--password <lösenord>', 'lösenord, minst 8 tecken')
    .requiredOption('--role <roll>', `roll: ${ROLES.join(', ')}`)
    .option('--provider <orgnr>', 'vårdgivarens organisationsnummer (bara för rollen provider)')
    .option('--approver', 'ge personen attesträtt: får godkänna utbetalningskörningar')
    .action(
      async (o: {
        username: string;
        password: string;
        role: string;
        provider?: string;
        approver?: boolean;
      }) => {
        const conn = await connect();
        try {
          if (conn.kind === 'pglite') await seedDemoIfEmpty(conn, { log: io.out });
          const user = await createUser(conn.db, {
            username: o.username,
            password: o.password,
            role: o.role,
            providerId: o.provider,
            approver: o.approver === true,
          }).catch((error: unknown) => {
            if (!(error instanceof UserError)) throw error;
            const option = {
              username: '--username',
              password: '--password',
              role: '--role',
              providerId: '--provider',
            };
            throw new InputErrors(
              [{ file: option[error.field], code: `user.${error.reason}`, message: error.message }],
              'Användaren kunde inte skapas',
            );
          });
          await writeAudit(conn.db, {
            actor: 'system',
            role: null,
            action: 'user.create',
            target: `user:${user.username}`,
            origin: 'cli',
            detail: { role: user.role, providerId: user.providerId, approver: o.approver === true },
          });
          io.out(
            `Användaren ${user.username} (${user.role}${o.approver ? ', med attesträtt' : ''}) är skapad`,
          );
        } finally {
          await conn.close();
        }
      },
    );
  users
    .command('approver')
    .description(
      'Ger en användare attesträtt (får godkänna utbetalningskörningar), eller tar den med --remove',
    )
    .requiredOption('--username <namn>', 'användarnamn')
    .option('--remove', 'ta attesträtten')
    .action(async (o: { username: string; remove?: boolean }) => {
      const conn = await connect();
      try {
        const approver = o.remove !== true;
        if (!(await setApproverRight(conn.db, o.username, approver)))
          throw new InputErrors(
            [{ file: '--username', code: 'user.not_found', message: `Användaren ${o.username} finns inte` }],
            'Attesträtten kunde inte ändras',
          );
        await writeAudit(conn.db, {
          actor: 'system',
          role: null,
          action: approver ? 'user.grant_approver' : 'user.revoke_approver',
          target: `user:${o.username.trim().toLowerCase()}`,
          origin: 'cli',
        });
        io.out(`${o.username} ${approver ? 'har nu attesträtt' : 'har inte längre attesträtt'}`);
      } finally {
        await conn.close();
      }
    });

  registerProcurementCommands(program, io);
  registerBackupCommands(program, io.out);

  return program;
}

/** pay with several rulebooks: a differentiated region, each unit paid by its system's rulebook. */
function payDifferentiatedCommand(
  io: Io,
  o: { rulebooks: string[]; data: string; month: string; out: string },
): void {
  const { progress, onProgress } = dataProgress('Läser data');
  const result = payDifferentiated({
    rulebookFiles: o.rulebooks,
    dataDir: o.data,
    month: o.month,
    onProgress,
  });
  progress.stop();
  const files = writeStatements(o.out, result.statements);
  io.out(
    `Utbetalning ${result.statements.identity.month} i ett differentierat vårdval (${result.systems.length} system)`,
  );
  for (const system of result.systems) {
    const listed = listedLookup(system.detail.month.listedCount, result.data.units.id);
    io.out(`\n${system.label}: ${system.rulebook}`);
    io.out(summaryTable(system.statements, listed));
  }
  for (const text of contractSummary(result.statements)) io.out(text);
  io.out(`\nSumma för regionen: ${formatKronor(result.statements.total_ore)}`);
  io.out(`Skrev ${files.join(', ')}`);
}

function listedLookup(listedCount: Int32Array, ids: string[]): (unitId: string) => number {
  const index = new Map(ids.map((id, i) => [id, i]));
  return (id) => listedCount[index.get(id) ?? -1] ?? 0;
}

/** Runs the CLI; returns the exit code (0 ok, 1 located input errors, 2 usage). */
export async function main(argv: string[], io: Io = defaultIo): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (error instanceof InputErrors) {
      io.err(error.message.split('\n')[0] ?? '');
      for (const e of error.errors) io.err(formatLocated(e));
      return 1;
    }
    throw error;
  }
}
