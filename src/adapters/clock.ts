/**
 * The server's calendar day in Sweden. Every date that decides a right (submitted, decided, signed,
 * approved) is taken from here, never from the caller.
 */
const stockholmDay = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Europe/Stockholm',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

export function serverToday(now: Date = new Date()): string {
  return stockholmDay.format(now);
}
