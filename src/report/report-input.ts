/**
 * Input checks. Reporters are terminal staff on a night shift, not GraphQL developers: every
 * message says what is wrong and how to put it right, and all problems are named at once.
 */
import { clientError } from '../common/errors';
import { unsafeCharacters } from '../common/validate';
import type { SubmitReportInput } from './report.inputs';

const LIMITS = { description: 5000, vesselName: 200, reporterContact: 500, actionsTaken: 2000, note: 2000 };
/** Reports are about recent activity; an older date is almost always a mistyped year. */
const MAX_AGE_DAYS = 365;

interface Problem {
  field: string;
  message: string;
}

class Problems {
  readonly list: Problem[] = [];

  add(field: string, message: string): void {
    this.list.push({ field, message });
  }

  /**
   * Trimmed text, or null when absent; records a problem and returns null when unusable.
   * `required`: an example of what to write, for the message when the text is empty.
   */
  text(value: string | null | undefined, field: string, max: number, fix: string, required?: string): string | null {
    if (value === null || value === undefined) return null;
    const trimmed = value.trim();
    if (trimmed.length === 0) {
      this.add(field, required ? `${field} is empty: ${fix}, e.g. ${required}` : `${field} is empty: ${fix}, or leave it out`);
      return null;
    }
    if (trimmed.length > max) {
      const hint = fix.charAt(0).toUpperCase() + fix.slice(1);
      this.add(field, `${field} is too long (${trimmed.length} characters; the limit is ${max}): shorten it. ${hint}.`);
      return null;
    }
    // Such characters usually come from pasting from another program.
    const unsafe = unsafeCharacters(trimmed);
    if (unsafe) {
      this.add(field, `${field} contains ${unsafe} (often from copy and paste): type the text again, or paste it as plain text`);
      return null;
    }
    return trimmed;
  }

  /** Throws one BAD_USER_INPUT naming every problem; `extensions.problems` lists them by field. */
  throwIfAny(): void {
    if (this.list.length === 0) return;
    const message =
      this.list.length === 1
        ? this.list[0].message
        : `${this.list.length} things to fix: ${this.list.map((p, i) => `(${i + 1}) ${p.message}`).join('; ')}`;
    throw clientError('BAD_USER_INPUT', message, { field: this.list[0].field, problems: this.list });
  }
}

export function validateSubmission(input: SubmitReportInput, now: Date) {
  const p = new Problems();
  const description = p.text(
    input.description,
    'description',
    LIMITS.description,
    'describe what you saw (what happened, who was involved, where exactly)',
    '"Seal of container MSKU1234567 broken, noticed at gate 4 at 02:10"',
  );
  const vesselName = p.text(input.vesselName, 'vesselName', LIMITS.vesselName, 'give the vessel name as painted on the hull');
  const reporterContact = p.text(
    input.reporterContact,
    'reporterContact',
    LIMITS.reporterContact,
    'give a name and a phone number or e-mail address where an analyst can reach you',
  );
  const actionsTaken = p.text(input.actionsTaken, 'actionsTaken', LIMITS.actionsTaken, 'say what you or your colleagues did about it');

  const observed = input.observedAt.getTime();
  if (observed > now.getTime() + 5 * 60_000) {
    p.add(
      'observedAt',
      'observedAt is in the future: give the date and time when you saw the activity, with its time zone (e.g. 2026-11-24T21:40:00+01:00)',
    );
  } else if (observed < now.getTime() - MAX_AGE_DAYS * 86_400_000) {
    p.add(
      'observedAt',
      `observedAt is more than a year ago (${input.observedAt.toISOString().slice(0, 10)}): check the year; reports are for recent activity`,
    );
  }
  if (input.securityLevel !== null && input.securityLevel !== undefined && ![1, 2, 3].includes(input.securityLevel)) {
    p.add(
      'securityLevel',
      `securityLevel must be the ISPS security level in force at the port: 1, 2 or 3 (got ${input.securityLevel}); leave it out if you do not know it`,
    );
  }
  const loc = input.location;
  if (loc && !(loc.lat >= -90 && loc.lat <= 90)) {
    p.add(
      'location.lat',
      `location.lat must be a latitude from -90 to 90 in decimal degrees (south is negative), got ${loc.lat}; Rotterdam is about 51.9`,
    );
  }
  if (loc && !(loc.lon >= -180 && loc.lon <= 180)) {
    p.add(
      'location.lon',
      `location.lon must be a longitude from -180 to 180 in decimal degrees (west is negative), got ${loc.lon}; Rotterdam is about 4.1`,
    );
  }
  p.throwIfAny();
  return { description: description!, vesselName, reporterContact, actionsTaken };
}

/** Text of an optional note (triage, escalation). */
export function noteText(note: string | null | undefined): string | null {
  const p = new Problems();
  const clean = p.text(note, 'note', LIMITS.note, 'say briefly what you decided and why');
  p.throwIfAny();
  return clean;
}
