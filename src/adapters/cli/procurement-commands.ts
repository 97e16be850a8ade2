import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { formatDate, parseDate } from '../../core/calendar.js';
import { standstill } from '../../core/procurement/standstill.js';
import { releasePackages } from '../exports/ocds-release-package.js';
import { checkPublicUrl, DEFAULT_PUBLIC_URL } from '../http/public-url.js';
import { connect } from '../store/connection.js';
import { publishedProcedures } from '../store/procurement.js';
import { seedDemoIfEmpty } from '../demo/demo.js';

interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
}

/**
 * Procurement commands: the standstill rule (the same function the NSS workflow uses) and the OCDS
 * export of every procedure in the store the server uses.
 */
export function registerProcurementCommands(program: Command, io: Io): void {
  program
    .command('standstill')
    .description(
      'Räknar ut avtalsspärren efter ett tilldelningsbeslut: sista dag och första dag då avtal får tecknas',
    )
    .requiredOption('--sent <ÅÅÅÅ-MM-DD>', 'dag då tilldelningsbeslutet skickades')
    .option('--not-electronic', 'beslutet skickades inte elektroniskt (15 dagar i stället för 10)')
    .action((o: { sent: string; notElectronic?: boolean }) => {
      const sent = parseDate(o.sent);
      if (sent === undefined)
        program.error(
          `--sent: "${o.sent}" är inget giltigt datum; skriv dagen då beslutet skickades som ÅÅÅÅ-MM-DD, till exempel 2025-03-03`,
          { exitCode: 2, code: 'vardval.invalidDate' },
        );
      const s = standstill(sent!, !o.notElectronic);
      // The issue fixes the exact text, spaces included, so scripts may compare it as a string.
      io.out(
        `{"last_day": "${formatDate(s.lastDay)}", "earliest_signing": "${formatDate(s.earliestSigning)}"}`,
      );
    });

  program
    .command('ocds')
    .description(
      'Skriver ett OCDS 1.1-releasepaket per förfarande (annons, tilldelning, kontrakt) från lagret som servern använder (DATABASE_URL, annars VARDVAL_HOME eller var/store)',
    )
    .requiredOption('--out <mapp>', 'mapp att skriva till')
    .option(
      '--base-url <url>',
      'serverns offentliga adress, för paketens uri (standard VARDVAL_PUBLIC_URL)',
      process.env.VARDVAL_PUBLIC_URL ?? DEFAULT_PUBLIC_URL,
    )
    .action(async (o: { out: string; baseUrl: string }) => {
      const conn = await connect();
      try {
        if (conn.kind === 'pglite') await seedDemoIfEmpty(conn, { log: io.out });
        const packages = releasePackages(await publishedProcedures(conn.db), {
          baseUrl: checkPublicUrl(o.baseUrl, '--base-url'),
        });
        mkdirSync(o.out, { recursive: true });
        for (const p of packages) {
          const ocid = p.releases[0]?.ocid;
          if (!ocid) throw new Error('A release package without a release');
          const file = join(o.out, `${ocid}.json`);
          writeFileSync(file, `${JSON.stringify(p, null, 2)}\n`);
          io.out(`Skrev ${file} (${p.releases.length} releaser)`);
        }
        io.out(`${packages.length} releasepaket i ${o.out}`);
      } finally {
        await conn.close();
      }
    });
}
