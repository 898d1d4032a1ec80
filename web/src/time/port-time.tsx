/** Times in the port's local time, with UTC on hover (and for screen readers). */
import { locale, t } from '../i18n';
import { portInfo } from './ports';

function format(iso: string | Date, timeZone: string, withZone: boolean): string {
  return new Intl.DateTimeFormat(locale, {
    timeZone,
    year: 'numeric',
    month: 'short',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    ...(withZone ? { timeZoneName: 'short' } : {}),
  }).format(typeof iso === 'string' ? new Date(iso) : iso);
}

/** `at` in the time zone of `port` (UTC when there is no port); the UTC time as its title. */
export function PortTime(props: { at: string; port?: string | null }) {
  const zone = portInfo(props.port)?.timeZone ?? 'UTC';
  const utc = t('time.utc', { time: format(props.at, 'UTC', false) });
  return (
    <time dateTime={props.at} title={utc}>
      {format(props.at, zone, true)}
    </time>
  );
}

/**
 * The wall-clock value for an <input type="datetime-local"> showing `at` in `timeZone`, and back.
 * The browser's own zone may differ from the port's, so both directions go through Intl.
 */
export function toZonedInput(at: Date, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

export function fromZonedInput(value: string, timeZone: string): Date {
  // Take the wall-clock time as if it were UTC, then correct by the zone's offset at that moment
  // (twice, so a moment next to a daylight-saving change settles on the right offset).
  const asUtc = new Date(`${value}:00Z`);
  let guess = asUtc;
  for (let i = 0; i < 2; i++) {
    const shown = new Date(`${toZonedInput(guess, timeZone)}:00Z`);
    guess = new Date(guess.getTime() - (shown.getTime() - asUtc.getTime()));
  }
  return guess;
}
