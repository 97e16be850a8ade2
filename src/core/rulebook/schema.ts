import { z } from 'zod';

/**
 * The rulebook (förfrågningsunderlag) as data. The compensation part follows spec/payment-model.md
 * to the letter; assignment, requirements, follow-up and sanctions are this project's design.
 * One definition validates a file and generates the JSON Schema editors use.
 */

export const PROFESSIONS = [
  'lakare',
  'sjukskoterska',
  'distriktsskoterska',
  'fysioterapeut',
  'arbetsterapeut',
  'psykolog',
  'kurator',
  'dietist',
  'barnmorska',
  'annan',
] as const;
export const CONTACTS = ['fysiskt', 'digitalt', 'telefon', 'hembesok'] as const;
const OWNERSHIPS = ['public', 'private', 'nonprofit'] as const;
const HSL_POINTS = [1, 2, 3, 4, 5] as const;

export type Profession = (typeof PROFESSIONS)[number];
export type Contact = (typeof CONTACTS)[number];
export type Ownership = (typeof OWNERSHIPS)[number];

const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
const isoDate = z.string().regex(DATE_PATTERN, 'Ett datum skrivs ÅÅÅÅ-MM-DD, t.ex. 2025-01-01');

/** A parameter: a plain value, or dated values where the latest date not after the cut-off day applies. */
const datedNumber = z.union([
  z.number(),
  z.record(z.string().regex(DATE_PATTERN, 'Datumnyckeln skrivs ÅÅÅÅ-MM-DD'), z.number()),
]);
export type DatedNumber = z.infer<typeof datedNumber>;

const AMOUNT_HELP = 'skriv beloppet i kronor, t.ex. 2700';
const kronor = z
  .number({ error: `Beloppet ska vara ett tal: ${AMOUNT_HELP} (utan mellanslag och "kr")` })
  .min(0, `Beloppet kan inte vara negativt: ${AMOUNT_HELP}`);
/** An amount in kronor that is paid (or charged) as written: never negative, dated or not. */
const datedAmount = z.union(
  [kronor, z.record(z.string().regex(DATE_PATTERN, 'Datumnyckeln skrivs ÅÅÅÅ-MM-DD'), kronor)],
  { error: `Beloppet ska vara ett tal eller belopp per datum: ${AMOUNT_HELP} (utan mellanslag och "kr")` },
);

const text = z.string().min(1);
const source = text.describe('Avsnitt i förfrågningsunderlaget eller lagrum som värdet bygger på');
const id = z.string().regex(/^[a-z0-9_][a-z0-9_-]*$/, 'Id skrivs med små bokstäver a–z, siffror, _ och -');
const SHARE_HELP = 'en andel skrivs som ett tal mellan 0 och 1, t.ex. 0.25 för 25 %';
const share = z
  .number({ error: `Andelen ska vara ett tal: ${SHARE_HELP}` })
  .min(0, `Andelen kan inte vara negativ: ${SHARE_HELP}`)
  .max(1, `Andelen kan inte vara större än 1: ${SHARE_HELP}`);

const weightValue = z
  .number({ error: 'Vikten ska vara ett tal, t.ex. 1.25' })
  .min(0, 'En vikt kan inte vara negativ; skriv t.ex. 1.25 (1 är genomsnittet)');

const counted = z.strictObject({
  professions: z.array(z.enum(PROFESSIONS)).optional(),
  contacts: z.array(z.enum(CONTACTS)).optional(),
});
export type Counted = z.infer<typeof counted>;

const componentBase = { id, label: text, source };

const weightSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('flat') }),
  z.strictObject({
    kind: z.literal('age_sex'),
    table: z
      .array(
        z.strictObject({
          from: z.number().int().min(0),
          to: z.number().int().min(1),
          F: weightValue,
          M: weightValue,
        }),
      )
      .min(1),
  }),
  z.strictObject({
    kind: z.literal('risk_group'),
    table: z.record(z.string(), z.number()),
    default: z.number(),
    missing: z.number(),
  }),
  z.strictObject({
    kind: z.literal('cni'),
    /** Either a reference (weight = cni / reference) or bands; validate.ts checks exactly one is given. */
    reference: z.number().positive().optional(),
    bands: z
      .array(z.strictObject({ from: z.number(), to: z.number(), weight: z.number() }))
      .min(1)
      .optional(),
  }),
  z.strictObject({
    kind: z.literal('area_class'),
    table: z.record(z.string(), z.number()),
    default: z.number().optional(),
  }),
  z.strictObject({
    kind: z.literal('comorbidity'),
    map: z
      .string()
      .min(1)
      .default('charlson_icd10_se')
      .describe('Samsjuklighetskarta i data/comorbidity/maps.csv'),
    weights: z.string().min(1).describe('Kartans viktuppsättning, t.ex. charlson_1987 eller quan_2011'),
    window_months: z
      .number()
      .int()
      .min(1)
      .max(120)
      .default(24)
      .describe('Diagnoser på besök under så många hela månader före månaden'),
    table: z.record(z.string(), z.number()).describe('Vikt per poängband, skrivet 0, 3-4 eller 5+'),
    default: z.number().describe('Vikt för poäng som inget band täcker'),
  }),
]);
export type Weight = z.infer<typeof weightSchema>;

const capitationSchema = z.strictObject({
  ...componentBase,
  type: z.literal('capitation'),
  annual_amount: datedAmount.describe('Kronor per listad person och år'),
  parts: z.array(z.strictObject({ share, weight: weightSchema })).min(1),
});

const areaSupplementSchema = z.strictObject({
  ...componentBase,
  type: z.literal('area_supplement'),
  annual_per_listed: z
    .record(z.string(), datedAmount)
    .describe('Kronor per listad person och år, per rural_class'),
});

const visitFeeSchema = z.strictObject({
  ...componentBase,
  type: z.literal('visit_fee'),
  applies_to: z.enum(['all', 'listed_here', 'not_listed_here']).default('all'),
  fees: z.array(
    z.strictObject({
      profession: z.enum(PROFESSIONS).optional(),
      contact: z.enum(CONTACTS).optional(),
      amount: datedAmount,
    }),
  ),
  default: datedAmount.default(0),
});

const coverageSchema = z.strictObject({
  ...componentBase,
  type: z.literal('coverage'),
  window_months: z.number().int().min(1).max(36).default(12),
  counted: counted.default({}),
  base: id,
  factor: z.array(z.tuple([z.number(), z.number()])).min(1),
});

const visitsElsewhereChargeSchema = z.strictObject({
  ...componentBase,
  type: z.literal('visits_elsewhere_charge'),
  charge: datedAmount.describe('Kronor per besök som debiteras listningsenheten'),
  counted: counted.default({}),
  at_units: z.array(z.string()).optional(),
});

const goalSchema = z.strictObject({
  ...componentBase,
  type: z.literal('goal'),
  annual_per_listed: datedAmount,
  period_months: z.union([z.literal(1), z.literal(3), z.literal(6), z.literal(12)]),
  lag_months: z.number().int().min(0).max(12).default(1),
  indicators: z
    .array(
      z.strictObject({
        id: z.string().min(1),
        weight: share,
        target: z.number(),
        floor: z.number(),
        direction: z.enum(['higher', 'lower']).default('higher'),
      }),
    )
    .min(1),
});

const unitSupplementSchema = z.strictObject({
  ...componentBase,
  type: z.literal('unit_supplement'),
  monthly_per_item: datedAmount,
  count: z.string().regex(/^[a-z_][a-z0-9_]*$/, 'count namnger en kolumn i units.csv, t.ex. st_fte'),
  only_ownership: z.array(z.enum(OWNERSHIPS)).optional(),
});

const startGrantSchema = z.strictObject({
  ...componentBase,
  type: z.literal('start_grant'),
  monthly_amount: datedAmount,
  months: z.number().int().min(1).max(120),
  mode: z.enum(['add', 'replace', 'guarantee']),
  replaces: z.array(id).default([]),
});

const penaltySchema = z.strictObject({
  ...componentBase,
  type: z.literal('penalty'),
  amount: datedAmount.describe('Kronor per händelse (dras av)'),
  event_type: z.string().min(1),
});

const vatCompensationSchema = z.strictObject({
  ...componentBase,
  type: z.literal('vat_compensation'),
  rate: z
    .union([share, z.record(z.string().regex(DATE_PATTERN, 'Datumnyckeln skrivs ÅÅÅÅ-MM-DD'), share)], {
      error: `Satsen ska vara en andel: ${SHARE_HELP}`,
    })
    .describe('Andel, t.ex. 0.06 för 6 %'),
  base: z.array(id).optional(),
  ownership: z.array(z.enum(OWNERSHIPS)).default(['private', 'nonprofit']),
});

const COMPONENT_SCHEMAS = {
  capitation: capitationSchema,
  area_supplement: areaSupplementSchema,
  visit_fee: visitFeeSchema,
  coverage: coverageSchema,
  visits_elsewhere_charge: visitsElsewhereChargeSchema,
  goal: goalSchema,
  unit_supplement: unitSupplementSchema,
  start_grant: startGrantSchema,
  penalty: penaltySchema,
  vat_compensation: vatCompensationSchema,
} as const;
export type ComponentType = keyof typeof COMPONENT_SCHEMAS;
export const COMPONENT_TYPES = Object.keys(COMPONENT_SCHEMAS) as ComponentType[];

const componentSchema = z.discriminatedUnion('type', [
  capitationSchema,
  areaSupplementSchema,
  visitFeeSchema,
  coverageSchema,
  visitsElsewhereChargeSchema,
  goalSchema,
  unitSupplementSchema,
  startGrantSchema,
  penaltySchema,
  vatCompensationSchema,
]);
export type Component = z.infer<typeof componentSchema>;
export type ComponentOf<T extends ComponentType> = Extract<Component, { type: T }>;

const hslPoints = z
  .array(
    z.union(
      HSL_POINTS.map((p) => z.literal(p)) as [z.ZodLiteral<1>, z.ZodLiteral<2>, ...z.ZodLiteral<number>[]],
    ),
  )
  .min(1)
  .describe(
    'Punkter i HSL 13 a kap. 1 § som delen tjänar: 1 vanliga vårdbehov, 2 tillgänglighet, 3 förebyggande, 4 samordning, 5 forskning',
  );

const assignmentSchema = z.strictObject({
  id,
  title: text,
  text: text.optional(),
  hsl_points: hslPoints,
  optional: z.boolean().default(false).describe('Tilläggsuppdrag som enheten kan välja, t.ex. BVC'),
  source,
});

/** A threshold that applies to units within a band of listed persons (e.g. ≥ 45 h from 4 500 listed). */
const threshold = z.strictObject({
  min: z.number().optional(),
  max: z.number().optional(),
  listed_at_least: z.number().int().min(0).optional(),
  listed_below: z.number().int().min(1).optional(),
});

const measureSchema = z.strictObject({
  fact: z.string().regex(/^[a-z_][a-z0-9_]*$/),
  unit: z.string().optional().describe('Enhet för värdet, t.ex. timmar per vecka'),
  thresholds: z.array(threshold).min(1).optional(),
  required: z.boolean().optional().describe('För ja/nej-fakta: kravet är uppfyllt när värdet är ja'),
});

const requirementSchema = z.strictObject({
  id,
  text,
  level: z.enum(['ska', 'bor']).describe('ska = krav, bor = rekommendation'),
  hsl_points: hslPoints,
  criteria: z
    .array(z.string())
    .default([])
    .describe('Kriterier i den nationella kartläggningen som kravet uppfyller'),
  measure: measureSchema.optional(),
  source,
});

const eventType = z.string().min(1);

/**
 * How Vårdval computes an indicator from the month's data (uppföljning). Each kind names the files
 * it reads; the same numbers are shown in follow-up and paid by a goal component.
 */
const indicatorComputeSchema = z.discriminatedUnion('kind', [
  z
    .strictObject({
      kind: z.literal('doctor_continuity'),
      window_months: z.number().int().min(1).max(36).optional(),
    })
    .describe(
      'Kontinuitet: andel av listade patienters läkarbesök vid enheten som skedde hos patientens fasta läkarkontakt (doctor_id i listings.csv och visits.csv)',
    ),
  z
    .strictObject({
      kind: z.literal('access_within_days'),
      days: z.number().int().min(0).max(90),
      professions: z.array(z.enum(PROFESSIONS)).min(1).default(['lakare']),
      window_months: z.number().int().min(1).max(36).optional(),
    })
    .describe('Tillgänglighet: andel bokade besök som skedde högst days dagar efter booked_date'),
  z
    .strictObject({
      kind: z.literal('health_dialogue'),
      ages: z.array(z.number().int().min(0).max(120)).min(1),
      window_months: z.number().int().min(1).max(36).optional(),
    })
    .describe(
      'Hälsosamtal: andel listade som fyller någon av åldrarna under perioden och fått ett hälsosamtal (visit_type halsosamtal) vid enheten',
    ),
  z
    .strictObject({
      kind: z.literal('event_share'),
      numerator_events: z.array(eventType).min(1),
      denominator_events: z.array(eventType).min(1),
      window_months: z.number().int().min(1).max(36).optional(),
    })
    .describe('Andel händelser ur events.csv, t.ex. SIP-kallelser i tid av alla SIP-kallelser'),
]);
export type IndicatorCompute = z.infer<typeof indicatorComputeSchema>;

const indicatorDefinitionSchema = z.strictObject({
  id: z.string().min(1),
  label: text,
  direction: z.enum(['higher', 'lower']).default('higher'),
  numerator: text.optional(),
  denominator: text.optional(),
  origin: z.enum(['computed', 'imported']).default('imported'),
  compute: indicatorComputeSchema
    .optional()
    .describe(
      'Hur Vårdval beräknar indikatorn (origin: computed). Utan compute läses värdet ur indicators.csv',
    ),
  period: z
    .union([z.literal(1), z.literal(3), z.literal(6), z.literal(12)])
    .default(3)
    .describe('Uppföljningsperiodens längd i månader (perioder följer kalenderåret)'),
  target: z.number().optional().describe('Målnivå (andel 0–1)'),
  floor: z.number().optional().describe('Golv: lägsta nivå (andel 0–1)'),
  source,
});
export type IndicatorDefinition = z.infer<typeof indicatorDefinitionSchema>;

const sanctionSchema = z.strictObject({
  id,
  text,
  amount: datedNumber.optional().describe('Kronor per fall'),
  component: id.optional().describe('Komponent av typen penalty som verkställer sanktionen'),
  requirements: z
    .array(id)
    .optional()
    .describe(
      'Krav vars uppföljning utlöser sanktionen: ett ej uppfyllt krav ger ett föreslaget vite på amount',
    ),
  follow_up: z.string().optional(),
  event_type: z
    .string()
    .min(1)
    .optional()
    .describe(
      'Händelsetyp i events.csv (t.ex. sip_late) där varje händelse ger ett föreslaget vite på amount, som beslutas efter att vårdgivaren fått yttra sig',
    ),
  source,
});

/**
 * Due process for sanctions: a proposed sanction is shown to the provider, who may answer within
 * `answer_days`; an officer then confirms, reduces or cancels it, and a confirmed sanction is
 * deducted in the month the settlement says.
 */
const sanctionProcessSchema = z
  .strictObject({
    answer_days: z
      .number()
      .int()
      .min(1)
      .max(90)
      .default(14)
      .describe('Dagar vårdgivaren har på sig att yttra sig över ett föreslaget vite'),
    settlement: z
      .enum(['monthly', 'quarterly'])
      .default('monthly')
      .describe(
        'När beslutade viten dras av: månadsvis (nästa utbetalning) eller kvartalsvis (kvartalets sista månad, som Region Stockholm)',
      ),
    source: z.string().optional(),
  })
  .describe('Hur ett föreslaget vite blir beslutat och när det dras av');
export type SanctionProcess = z.infer<typeof sanctionProcessSchema>;

/**
 * Differentiated choice systems (differentierade vårdvalssystem, since 1 July 2022): a region may
 * run several systems with their own rulebooks, each for an area and (narrow systems, smala
 * vårdval) for some services. A unit belongs to a system by where it is (its kommun, its area and
 * the area's class) and by the services it provides. No scope: the rulebook covers the whole region
 * for the service vardcentral. See core/rulebook/systems.ts for how units are assigned.
 */
const scopeSchema = z
  .strictObject({
    label: text.describe('Systemets namn, t.ex. Landsbygd'),
    services: z
      .array(
        z
          .string()
          .regex(
            /^[a-z][a-z0-9_]*$/,
            'En tjänst skrivs med små bokstäver a–z, siffror och _, t.ex. vardcentral, bvc, mvc eller rehabilitering',
          ),
      )
      .min(1)
      .optional()
      .describe(
        'Tjänster som systemet ersätter (smalt vårdval), t.ex. [bvc] eller [vardcentral]; utan services: vardcentral',
      ),
    kommuner: z
      .array(z.string().regex(/^\d{4}$/, 'Kommunkod med fyra siffror, t.ex. 2361'))
      .min(1)
      .optional()
      .describe('Kommuner vars enheter hör till systemet'),
    areas: z
      .array(z.string().min(1))
      .min(1)
      .optional()
      .describe('Områden (DeSO-koder, kolumnen area i units.csv) vars enheter hör till systemet'),
    area_classes: z
      .array(z.string().min(1))
      .min(1)
      .optional()
      .describe(
        'Områdesklasser (rural_class i areas.csv, t.ex. glesbygd, landsbygd, tatort) för enhetens område',
      ),
    other_kommuner: z
      .literal(true)
      .optional()
      .describe('Systemet gäller enheter (för sina tjänster) som regionens andra system inte räknar upp'),
    source,
  })
  .describe('Område och tjänster som ett av regionens vårdvalssystem gäller');
export type Scope = z.infer<typeof scopeSchema>;

/**
 * NSS (nationellt system för småskalig hälso- och sjukvårdsverksamhet): the national compensation.
 * Levels are decided for a period (the parties propose four years) and uprated each year in between
 * by a set index; the state co-finances a share of the compensation in areas classed glesbygd.
 * The components' amounts are the period's base amounts.
 */
const nationalCompensationSchema = z
  .strictObject({
    period: z
      .strictObject({ from: isoDate, to: isoDate, source })
      .describe('Perioden som ersättningsnivåerna är beslutade för'),
    index: z
      .array(
        z.strictObject({
          from: isoDate.describe('Dagen uppräkningen gäller från'),
          percent: z.number().min(-50).max(50).describe('Uppräkning i procent av föregående nivå'),
          source,
        }),
      )
      .default([])
      .describe('Årlig uppräkning av periodens grundbelopp, i datumordning'),
    state_share: z
      .strictObject({
        rural_classes: z
          .array(text)
          .min(1)
          .describe('Områdesklasser (rural_class i areas.csv), t.ex. glesbygd'),
        share,
        source,
      })
      .optional()
      .describe('Statens medfinansiering av ersättningen till enheter i dessa områden'),
    source,
  })
  .describe('Nationell ersättning i NSS: nivåer för en period, årligt index och statlig medfinansiering');
export type NationalCompensation = z.infer<typeof nationalCompensationSchema>;

/** How long after a statement's approval the provider may question its lines (no field: no deadline). */
const questionsSchema = z
  .strictObject({
    deadline_days_after_approval: z
      .number()
      .int()
      .min(1)
      .max(730)
      .describe('Dagar efter godkännandet som vårdgivaren kan ifrågasätta en rad i underlaget'),
    source: source.optional(),
  })
  .describe('Frist för att ifrågasätta rader i ett godkänt utbetalningsunderlag');

export const rulebookSchema = z.strictObject({
  id: z
    .string()
    .regex(/^[a-z0-9-]+\/[a-z0-9-]+\/[a-z0-9-]+$/, 'id skrivs region/system/år, t.ex. exempel/vardval/2025'),
  region: z.strictObject({ code: z.string().regex(/^[A-Z]{1,2}$/), name: text }),
  system: z.enum(['vardval', 'nss']),
  title: text,
  valid_from: isoDate,
  valid_to: isoDate,
  source: z.string().optional().describe('Dokumentet regelboken bygger på'),
  scope: scopeSchema.optional(),
  listing: z
    .strictObject({
      branches_may_list: z.boolean().default(false),
      fixed_doctor_contact: z.boolean().default(true),
      max_changes_per_12_months: z.number().int().min(1).optional(),
    })
    .default({ branches_may_list: false, fixed_doctor_contact: true }),
  assignment: z.array(assignmentSchema).default([]),
  requirements: z.array(requirementSchema).default([]),
  compensation: z.strictObject({ components: z.array(componentSchema).min(1) }),
  follow_up: z
    .strictObject({ indicators: z.array(indicatorDefinitionSchema).default([]) })
    .default({ indicators: [] }),
  sanctions: z.array(sanctionSchema).default([]),
  national_compensation: nationalCompensationSchema.optional(),
  sanction_process: sanctionProcessSchema.default({ answer_days: 14, settlement: 'monthly' }),
  questions: questionsSchema.optional(),
});
export type Rulebook = z.infer<typeof rulebookSchema>;
export type Requirement = z.infer<typeof requirementSchema>;

/**
 * JSON Schema for editors (yaml-language-server), generated from the same definition: a whole
 * rulebook, or an overlay (a rulebook that names its `base` and holds only its changes, checked
 * when it is resolved; see overlay.ts).
 */
export function rulebookJsonSchema(): Record<string, unknown> {
  const { $schema, $defs, ...full } = z.toJSONSchema(rulebookSchema, { io: 'input', unrepresentable: 'any' });
  const overlay = {
    type: 'object',
    description: 'Överlägg: en regelbok som bygger på en annan (base) och bara innehåller ändringarna',
    required: ['base', 'id'],
    properties: {
      base: {
        type: 'string',
        description:
          'Grunden: regelbokens id (exempel/vardval/2025), en fil bredvid (vardval-2025) eller en sökväg',
      },
      id: (full.properties as Record<string, unknown>).id,
    },
  };
  return {
    $schema,
    $id: 'https://vardval.example/schema/rulebook.json',
    title: 'Förfrågningsunderlag (Vårdval regelbok)',
    ...($defs ? { $defs } : {}),
    anyOf: [full, overlay],
  };
}
