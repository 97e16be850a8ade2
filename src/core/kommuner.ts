/**
 * Sweden's kommuner by SCB's four-digit code (data/kommuner/kommuner.csv), so that people read a
 * kommun's name where the data has its code, and an application names a kommun that exists.
 */
export interface Kommun {
  code: string;
  name: string;
  countyCode: string;
  regionCode: string;
  regionName: string;
}

class KommunerError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`kommuner.csv:${line}: ${message}`);
  }
}

const HEADER = 'kommun_code,kommun_name,county_code,region_code,region_name';

/** The CSV as shipped: a header, then one kommun a line; no quoted fields. */
export function parseKommuner(csv: string): Kommun[] {
  const lines = csv.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (lines[0]?.trim() !== HEADER) throw new KommunerError(1, `rubriken ska vara ${HEADER}`);
  const out: Kommun[] = [];
  const seen = new Set<string>();
  lines.slice(1).forEach((text, i) => {
    if (!text.trim()) return;
    const line = i + 2;
    const cells = text.split(',');
    if (cells.length !== 5) throw new KommunerError(line, `fem fält väntades, fann ${cells.length}`);
    const [code = '', name = '', countyCode = '', regionCode = '', regionName = ''] = cells.map((c) =>
      c.trim(),
    );
    if (!/^\d{4}$/.test(code)) throw new KommunerError(line, `kommunkoden ${code} har inte fyra siffror`);
    if (seen.has(code)) throw new KommunerError(line, `kommunkoden ${code} finns två gånger`);
    if (!name) throw new KommunerError(line, 'kommunens namn saknas');
    seen.add(code);
    out.push({ code, name, countyCode, regionCode, regionName });
  });
  return out;
}

/** Code → kommun. */
export class KommunIndex {
  private readonly byCode: Map<string, Kommun>;

  constructor(readonly all: readonly Kommun[]) {
    this.byCode = new Map(all.map((k) => [k.code, k]));
  }

  get(code: string): Kommun | undefined {
    return this.byCode.get(code);
  }

  /** The kommun's name, or the code itself when no kommun has it (so nothing is hidden). */
  name(code: string): string {
    return this.byCode.get(code)?.name ?? code;
  }

  has(code: string): boolean {
    return this.byCode.has(code);
  }
}
