import {
  addDays,
  addMonths,
  formatMonth,
  lastDay,
  monthOf,
  type DateInt,
  type MonthInt,
} from '../calendar.js';

/**
 * The NSS transitional right (övergångsbestämmelser): a doctor or physiotherapist on the national
 * tariff who, when the tariff ends, is active under its full-time rules, "verksam på heltid minst 12
 * månader under de senaste 24 månaderna", may join NSS without competition for a first 7-year contract
 * with the same orientation, and the region cannot refuse (SKR/SLF/Fysioterapeuterna 2021,
 * "Vem omfattas av övergångsbestämmelser?").
 */
const REQUIRED_FULL_TIME_MONTHS = 12;
const WINDOW_MONTHS = 24;

export type Profession = 'doctor' | 'physiotherapist';

export interface ActivityMonth {
  month: MonthInt;
  /** Active full time under the tariff's full-time rules that month. */
  fullTime: boolean;
  /** Under the national tariff that month (LOL 1993:1651 / LOF 1993:1652). */
  onNationalTariff: boolean;
}

export interface TransitionalInput {
  profession: Profession | string;
  /** The last day the national tariff applies. */
  tariffEnds: DateInt;
  activity: readonly ActivityMonth[];
}

export interface TransitionalResult {
  eligible: boolean;
  window: { from: MonthInt; to: MonthInt };
  countedMonths: MonthInt[];
  notCountedMonths: { month: MonthInt; reason: string }[];
  reasons: string[];
  /** The explanation in Swedish, one sentence per fact. */
  explanation: string[];
}

/**
 * The 24 months counted back from the tariff's end: the month it ends in counts when the tariff
 * runs to that month's last day; otherwise the window ends with the month before.
 */
function transitionalWindow(tariffEnds: DateInt): { from: MonthInt; to: MonthInt } {
  const endMonth = monthOf(tariffEnds);
  const to = tariffEnds === lastDay(endMonth) ? endMonth : monthOf(addDays(endMonth * 100 + 1, -1));
  return { from: addMonths(to, -(WINDOW_MONTHS - 1)), to };
}

export function transitionalEligibility(input: TransitionalInput): TransitionalResult {
  const window = transitionalWindow(input.tariffEnds);
  const reasons: string[] = [];
  const byMonth = new Map<MonthInt, ActivityMonth>();
  for (const a of input.activity) byMonth.set(a.month, a);
  const counted: MonthInt[] = [];
  const notCounted: { month: MonthInt; reason: string }[] = [];
  for (let m = window.from; m <= window.to; m = addMonths(m, 1)) {
    const a = byMonth.get(m);
    if (!a) notCounted.push({ month: m, reason: 'ingen verksamhet redovisad' });
    else if (!a.onNationalTariff)
      notCounted.push({ month: m, reason: 'inte verksam enligt nationella taxan' });
    else if (!a.fullTime) notCounted.push({ month: m, reason: 'inte heltid' });
    else counted.push(m);
  }
  const professionOk = input.profession === 'doctor' || input.profession === 'physiotherapist';
  if (!professionOk) reasons.push('Övergångsrätten gäller bara läkare och fysioterapeuter');
  const last = byMonth.get(window.to);
  const activeAtEnd = last?.onNationalTariff === true;
  if (!activeAtEnd)
    reasons.push(
      `Ingen pågående verksamhet enligt nationella taxan när den upphör (${formatMonth(window.to)})`,
    );
  const enough = counted.length >= REQUIRED_FULL_TIME_MONTHS;
  if (!enough)
    reasons.push(
      `Heltid ${counted.length} av de senaste ${WINDOW_MONTHS} månaderna; minst ${REQUIRED_FULL_TIME_MONTHS} krävs`,
    );
  const eligible = professionOk && activeAtEnd && enough;
  const explanation = [
    `Perioden som räknas: ${formatMonth(window.from)} till ${formatMonth(window.to)} (de ${WINDOW_MONTHS} senaste månaderna före taxans upphörande).`,
    `Månader med heltid enligt taxan: ${counted.length}${counted.length ? ` (${counted.map(formatMonth).join(', ')})` : ''}.`,
    eligible
      ? `Minst ${REQUIRED_FULL_TIME_MONTHS} månader är uppfyllt: vårdgivaren har rätt att utan konkurrens ansluta till NSS för en första avtalsperiod på 7 år med samma inriktning, och regionen kan inte neka.`
      : `Ingen övergångsrätt: ${reasons.join('; ')}.`,
  ];
  return { eligible, window, countedMonths: counted, notCountedMonths: notCounted, reasons, explanation };
}
