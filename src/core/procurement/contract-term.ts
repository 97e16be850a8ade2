import { addDays, addMonths, daysInMonth, formatDate, type DateInt } from '../calendar.js';

/**
 * An NSS contract runs 7 years, after which the activity is procured anew and the incumbent competes
 * on equal terms (SKR/SLF/Fysioterapeuterna 2021). The region must decide on a new procurement in
 * time; the warning date gives the officer that time.
 */
const NSS_CONTRACT_YEARS = 7;
/**
 * How long before the end the officer is warned. The seeds give no figure; a procurement with
 * notice, evaluation and standstill takes months, so a year is used.
 */
const REPROCUREMENT_WARNING_MONTHS = 12;

/** Same day of month n months later, or the month's last day when that day does not exist. */
function addMonthsToDate(date: DateInt, months: number): DateInt {
  const m = addMonths(Math.floor(date / 100), months);
  const day = Math.min(date % 100, daysInMonth(Math.floor(m / 100), m % 100));
  return m * 100 + day;
}

export interface ContractTerm {
  start: DateInt;
  /** Last day of the contract: the day before the 7-year anniversary. */
  end: DateInt;
  reprocurementWarning: DateInt;
}

export function nssContractTerm(start: DateInt, warningMonths = REPROCUREMENT_WARNING_MONTHS): ContractTerm {
  const end = addDays(addMonthsToDate(start, NSS_CONTRACT_YEARS * 12), -1);
  return { start, end, reprocurementWarning: addMonthsToDate(end, -warningMonths) };
}

export interface ReprocurementWarning {
  contractId: string | number;
  end: DateInt;
  warningFrom: DateInt;
  message: string;
}

/** The contracts on which the officer should now decide whether to procure anew. */
export function reprocurementWarnings(
  contracts: readonly { id: string | number; start: DateInt; end: DateInt }[],
  today: DateInt,
  warningMonths = REPROCUREMENT_WARNING_MONTHS,
): ReprocurementWarning[] {
  return contracts
    .map((c) => ({ c, warningFrom: addMonthsToDate(c.end, -warningMonths) }))
    .filter(({ c, warningFrom }) => today >= warningFrom && today <= c.end)
    .map(({ c, warningFrom }) => ({
      contractId: c.id,
      end: c.end,
      warningFrom,
      message: `Avtalet löper ut ${formatDate(c.end)}: ta ställning till ny upphandling, där nuvarande vårdgivare konkurrerar på samma villkor som andra`,
    }));
}
