import type { Command } from 'commander';
import { formatDate, parseDate } from '../../core/calendar.js';
import { standstill } from '../../core/procurement/standstill.js';

interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
}

/** Procurement commands: the standstill rule (the same function the NSS workflow uses). */
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
}
