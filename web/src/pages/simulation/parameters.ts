import { isMap, isScalar, isSeq, parseDocument, type Document } from 'yaml';
import { ruralLabel } from '../../format';
import { CONTACT, PROFESSION } from '../../rulebook';

/**
 * The common parameters of a rulebook as form fields, each named by what it is ("Avgift läkare,
 * fysiskt besök", "Vikt kvinnor 0–6 år"), read from and written into the YAML text so that the
 * form and the editor are two views of one text (comments and layout kept).
 */

export type Path = (string | number)[];

export interface ParameterField {
  path: Path;
  label: string;
  /** kr amounts, shares and weights are all plain numbers in the rulebook. */
  kind: 'kr' | 'share' | 'weight';
  value: number;
}

export interface ParameterGroup {
  component: string;
  title: string;
  fields: ParameterField[];
}

const yearsLabel = (from: unknown, to: unknown) =>
  Number(to) >= 120 ? `${String(from)} år och äldre` : `${String(from)}–${Number(to) - 1} år`;

/** A value that is a number, or one field per date when it changes over the year. */
function dated(doc: Document, path: Path, label: string, kind: ParameterField['kind']): ParameterField[] {
  const node = doc.getIn(path, true);
  if (isMap(node)) {
    const out: ParameterField[] = [];
    for (const item of node.items) {
      const key = String((item.key as { value?: unknown })?.value ?? item.key);
      const value = Number((item.value as { value?: unknown })?.value);
      if (Number.isFinite(value))
        out.push({ path: [...path, key], label: `${label} från ${key}`, kind, value });
    }
    return out;
  }
  const value = doc.getIn(path);
  return typeof value === 'number' ? [{ path, label, kind, value }] : [];
}

function capitationFields(doc: Document, at: Path, c: Record<string, unknown>): ParameterField[] {
  const out = dated(doc, [...at, 'annual_amount'], 'Årsbelopp per listad (kr)', 'kr');
  const parts = (c.parts as { share?: number; weight?: Record<string, unknown> }[] | undefined) ?? [];
  const kindName: Record<string, string> = {
    age_sex: 'ålder och kön',
    risk_group: 'riskgrupp',
    cni: 'CNI (socioekonomi)',
    comorbidity: 'samsjuklighet',
  };
  parts.forEach((p, i) => {
    const kind = String(p.weight?.kind ?? '');
    const part = [...at, 'parts', i];
    if (typeof p.share === 'number')
      out.push({
        path: [...part, 'share'],
        label: `Andel efter ${kindName[kind] ?? kind}`,
        kind: 'share',
        value: p.share,
      });
    const table = p.weight?.table;
    if (kind === 'age_sex' && Array.isArray(table))
      table.forEach((row: Record<string, unknown>, r) => {
        for (const [sex, name] of [
          ['F', 'kvinnor'],
          ['M', 'män'],
        ] as const)
          if (typeof row[sex] === 'number')
            out.push({
              path: [...part, 'weight', 'table', r, sex],
              label: `Vikt ${name} ${yearsLabel(row.from, row.to)}`,
              kind: 'weight',
              value: row[sex] as number,
            });
      });
    if (kind === 'risk_group' && table && typeof table === 'object' && !Array.isArray(table))
      for (const [group, value] of Object.entries(table as Record<string, unknown>))
        if (typeof value === 'number')
          out.push({
            path: [...part, 'weight', 'table', group],
            label: `Vikt riskgrupp ${group}`,
            kind: 'weight',
            value,
          });
  });
  return out;
}

function feeName(row: Record<string, unknown>): string {
  const who = row.profession ? (PROFESSION[String(row.profession)] ?? String(row.profession)) : 'alla yrken';
  const how = row.contact ? (CONTACT[String(row.contact)] ?? String(row.contact)) : 'alla kontaktsätt';
  return `Avgift ${who}, ${how}`;
}

function componentFields(doc: Document, at: Path, c: Record<string, unknown>): ParameterField[] {
  const num = (key: string, label: string, kind: ParameterField['kind'] = 'kr') =>
    dated(doc, [...at, key], label, kind);
  switch (c.type) {
    case 'capitation':
      return capitationFields(doc, at, c);
    case 'area_supplement': {
      const per = c.annual_per_listed as Record<string, unknown> | undefined;
      return Object.keys(per ?? {}).flatMap((k) =>
        dated(doc, [...at, 'annual_per_listed', k], `Årsbelopp per listad, ${ruralLabel(k)} (kr)`, 'kr'),
      );
    }
    case 'visit_fee': {
      const fees = (c.fees as Record<string, unknown>[] | undefined) ?? [];
      return [
        ...fees.flatMap((row, i) => dated(doc, [...at, 'fees', i, 'amount'], `${feeName(row)} (kr)`, 'kr')),
        ...num('default', 'Avgift övriga besök (kr)'),
      ];
    }
    case 'goal': {
      const indicators = (c.indicators as { id?: string }[] | undefined) ?? [];
      return [
        ...num('annual_per_listed', 'Årsbelopp per listad (kr)'),
        ...indicators.flatMap((ind, i) =>
          dated(doc, [...at, 'indicators', i, 'weight'], `Vikt ${ind.id ?? i + 1}`, 'weight'),
        ),
      ];
    }
    case 'unit_supplement':
      return num('monthly_per_item', 'Belopp per styck och månad (kr)');
    case 'start_grant':
      return num('monthly_amount', 'Belopp per månad (kr)');
    case 'penalty':
      return num('amount', 'Belopp per händelse (kr)');
    case 'vat_compensation':
      return num('rate', 'Andel av ersättningen', 'share');
    case 'visits_elsewhere_charge':
      return num('charge', 'Belopp per besök (kr)');
    default:
      return [];
  }
}

/** The form's groups, one per component with parameters; undefined when the text is not YAML. */
export function parameterGroups(text: string): ParameterGroup[] | undefined {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) return undefined;
  const components = doc.getIn(['compensation', 'components'], true);
  if (!isSeq(components)) return [];
  const js = doc.toJS() as { compensation?: { components?: Record<string, unknown>[] } };
  return (js.compensation?.components ?? [])
    .map((c, i) => ({
      component: String(c.id ?? i),
      title: String(c.label ?? c.id ?? `Komponent ${i + 1}`),
      fields: componentFields(doc, ['compensation', 'components', i], c),
    }))
    .filter((g) => g.fields.length > 0);
}

/**
 * The text with one parameter changed: only the number's own characters are replaced, so
 * everything else (comments, order, layout) stays exactly as written.
 */
export function withParameter(text: string, path: Path, value: number): string {
  const doc = parseDocument(text);
  const node = doc.getIn(path, true);
  if (!isScalar(node) || !node.range) return text;
  const [start, end] = node.range;
  return `${text.slice(0, start)}${String(value)}${text.slice(end)}`;
}
