/**
 * The reporter's identity in free text: which parts of a report's `reporterContact` and
 * `submittedBy` identify the reporter, and whether a text repeats one of them. Escalation uses it
 * so that an alert never carries the reporter's identity (report-escalation.ts).
 *
 * The rule (README, "Escalation"): a text leaks the identity when it contains
 *   - a distinctive word of the contact or the submitting subject, as a whole word, in any case
 *     and with or without accents. Words are runs of letters and digits; a word is distinctive
 *     when it has two characters or more, at least one letter, and is not in STOP_WORDS (common
 *     words of contacts: roles, places at a terminal, particles of names, parts of addresses), so
 *     "P. Jansen, security desk" makes "jansen" and "Jänsen" leaks, and "the security desk" not;
 *   - an e-mail address of the contact, in any case;
 *   - a phone number of the contact (8 digits or more), its digits compared without separators.
 * Single letters (initials) and short numbers (gate 4, berth 12) alone identify nobody and are
 * common in alert text, so they are not compared.
 */

/** Common words of contacts that identify nobody, compared after normalising (no accents, lower case). */
export const STOP_WORDS = new Set(
  [
    // Roles and shifts
    'security',
    'desk',
    'officer',
    'guard',
    'duty',
    'shift',
    'night',
    'day',
    'manager',
    'supervisor',
    'operator',
    'analyst',
    'inspector',
    'agent',
    'staff',
    'team',
    'head',
    'chief',
    'captain',
    'master',
    'crew',
    'reporter',
    // Places at a port
    'terminal',
    'gate',
    'port',
    'berth',
    'quay',
    'yard',
    'control',
    'room',
    'office',
    'harbour',
    'harbor',
    // Titles and particles of names
    'mr',
    'mrs',
    'ms',
    'dr',
    'de',
    'van',
    'der',
    'den',
    'het',
    'ten',
    'ter',
    'von',
    'la',
    'le',
    'du',
    'da',
    'di',
    'el',
    // Small words and parts of addresses
    'the',
    'and',
    'of',
    'at',
    'on',
    'in',
    'to',
    'for',
    'by',
    'or',
    'via',
    'tel',
    'phone',
    'mobile',
    'email',
    'mail',
    'contact',
    'com',
    'org',
    'net',
    'example',
    'nl',
    'be',
    'eu',
  ].map(normalise),
);

/** Lower case, accents removed (NFD, combining marks dropped): "Jänsen" and "JANSEN" are "jansen". */
function normalise(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

const words = (normalised: string) => normalised.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
const EMAIL = /[^\s,;<>()]+@[^\s,;<>()]+/g;
// Phone numbers, whatever their spacing: runs of 8 or more digits once separators are gone.
const NUMBER = /\d[\d\s()./-]*\d/g;
const digitRuns = (text: string) => (text.match(NUMBER) ?? []).map((n) => n.replace(/\D/g, ''));

export interface ReporterIdentity {
  words: Set<string>;
  emails: string[];
  phones: string[];
}

/** The distinctive parts of a reporter's contact and submitting subject. */
export function reporterIdentity(...sources: (string | null | undefined)[]): ReporterIdentity {
  const identity: ReporterIdentity = { words: new Set(), emails: [], phones: [] };
  for (const source of sources) {
    if (!source) continue;
    const text = normalise(source);
    for (const w of words(text)) if (w.length >= 2 && /\p{L}/u.test(w) && !STOP_WORDS.has(w)) identity.words.add(w);
    identity.emails.push(...(text.match(EMAIL) ?? []));
    identity.phones.push(...digitRuns(text).filter((n) => n.length >= 8));
  }
  return identity;
}

/** Whether the text repeats a distinctive part of the identity (the rule above). */
export function repeatsIdentity(identity: ReporterIdentity, text: string): boolean {
  const normalised = normalise(text);
  if (words(normalised).some((w) => identity.words.has(w))) return true;
  if (identity.emails.some((e) => normalised.includes(e))) return true;
  const numbers = digitRuns(normalised);
  return identity.phones.some((p) => numbers.some((n) => n.includes(p)));
}
