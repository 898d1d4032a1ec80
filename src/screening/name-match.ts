/**
 * How similar a screened name is to a listed one, and why: the scoring of `name-v2`.
 *
 * Both names arrive as the database normalised them (vessel_name_norm, vessel_name_terms,
 * vessel_name_codes: migrations/1764000001700-NameMatching.ts), so there is one normalisation and
 * this file only compares: terms (words and numbers) and each word's Double Metaphone code.
 *
 * - Numbers must agree: when both names carry numbers and they differ, the names are different
 *   ships (VICTORY 3 is not VICTORY 5; II was read as 2 already). A number on one side only is a
 *   term left unmatched.
 * - Words match, in this order: written together or apart (SEASTAR = SEA STAR), exactly, by
 *   sound (same Double Metaphone code, or the same once another script's spelling of a Latin
 *   name is read back: DZHANG = JANG), or within an edit budget relative to their length
 *   (none up to 3 letters, 1 up to 6, 2 beyond; two adjacent letters swapped are one edit).
 * - The similarity is the share of both names' letters that matched, each match weighted by its
 *   quality (exact and joined 1, phonetic 0.85, edit distance 1 - distance / length); a term of
 *   the screened name that met nothing weighs double.
 */
import { distance } from 'fastest-levenshtein';

export const NAME_ALGORITHM = 'name-v2';

export const TERM_MATCH_KINDS = ['EXACT', 'JOINED', 'PHONETIC', 'EDIT_DISTANCE'] as const;
export type TermMatchKind = (typeof TERM_MATCH_KINDS)[number];

export interface NameForm {
  terms: string[];
  codes: string[];
}

interface TermMatch {
  screened: string;
  listed: string;
  how: TermMatchKind;
}

export interface NameMatch {
  similarity: number;
  matches: TermMatch[];
  numbersAgreed: string[];
  unmatchedScreened: string[];
  unmatchedListed: string[];
}

const QUALITY: Record<TermMatchKind, number> = { EXACT: 1, JOINED: 1, PHONETIC: 0.85, EDIT_DISTANCE: 0 };
/** A number weighs as much as a short word: agreeing numbers count, a missing one costs. */
const NUMBER_WEIGHT = 3;
const EXTRA_WORD_WEIGHT = 2;

const isNumber = (t: string) => /^[0-9]+$/.test(t);
const weight = (t: string) => (isNumber(t) ? NUMBER_WEIGHT : t.length);

function editBudget(a: string, b: string): number {
  const len = Math.min(a.length, b.length);
  return len <= 3 ? 0 : len <= 6 ? 1 : 2;
}

/** Levenshtein distance, two adjacent letters swapped counting as one edit (a common typo). */
function editDistance(a: string, b: string): number {
  if (a.length === b.length) {
    const diff = [...a].flatMap((ch, i) => (ch === b[i] ? [] : [i]));
    if (diff.length === 2 && diff[1] === diff[0] + 1 && a[diff[0]] === b[diff[1]] && a[diff[1]] === b[diff[0]]) return 1;
  }
  return distance(a, b);
}

interface Term {
  text: string;
  code: string;
  respelled: string;
  used: boolean;
}

/**
 * A word as it reads back from another script's spelling of a Latin name (Cyrillic ДЖ and Greek
 * Τζ for J, Х for H, Greek ΟΥ for U), compared besides its Double Metaphone code.
 */
const respell = (w: string) =>
  w
    .replace(/DZH|DZ|TZ|ZH/g, 'J')
    .replace(/KH/g, 'H')
    .replace(/OU/g, 'U');

const termsOf = (f: NameForm): Term[] =>
  f.terms.map((text, i) => ({ text, code: f.codes[i] ?? text, respelled: respell(text), used: false }));

/**
 * Compares a screened name with a listed one; null when they cannot be the same ship's names
 * (numbers disagree, or no term matched).
 */
export function matchNames(screened: NameForm, listed: NameForm): NameMatch | null {
  const q = termsOf(screened);
  const c = termsOf(listed);
  const qNumbers = q.filter((t) => isNumber(t.text)).map((t) => t.text);
  const cNumbers = c.filter((t) => isNumber(t.text)).map((t) => t.text);
  if (qNumbers.length > 0 && cNumbers.length > 0 && [...qNumbers].sort().join(' ') !== [...cNumbers].sort().join(' ')) return null;

  const matches: TermMatch[] = [];
  let matchedWeight = 0;
  const take = (a: Term[], b: Term[], how: TermMatchKind, quality: number) => {
    for (const t of [...a, ...b]) t.used = true;
    matches.push({ screened: a.map((t) => t.text).join(' '), listed: b.map((t) => t.text).join(' '), how });
    matchedWeight += quality * [...a, ...b].reduce((s, t) => s + weight(t.text), 0);
  };
  const numbersAgreed: string[] = [];
  for (const t of q.filter((x) => isNumber(x.text))) {
    const other = c.find((x) => !x.used && x.text === t.text);
    if (other) {
      take([t], [other], 'EXACT', 1);
      numbersAgreed.push(t.text);
    }
  }
  const words = (ts: Term[]) => ts.filter((t) => !t.used && !isNumber(t.text));
  // Two adjacent words of one name written as one word in the other.
  const joined = (one: Term[], two: Term[], screenedIsOne: boolean) => {
    for (let i = 0; i + 1 < two.length; i++) {
      const [a, b] = [two[i], two[i + 1]];
      if (a.used || b.used || isNumber(a.text) || isNumber(b.text)) continue;
      const whole = words(one).find((t) => t.text === a.text + b.text);
      if (whole) take(screenedIsOne ? [whole] : [a, b], screenedIsOne ? [a, b] : [whole], 'JOINED', 1);
    }
  };
  joined(q, c, true);
  joined(c, q, false);
  for (const how of ['EXACT', 'PHONETIC'] as const) {
    for (const t of words(q)) {
      const other = words(c).find((x) => (how === 'EXACT' ? x.text === t.text : x.code === t.code || x.respelled === t.respelled));
      if (other) take([t], [other], how, QUALITY[how]);
    }
  }
  for (const t of words(q)) {
    let best: { term: Term; d: number } | undefined;
    for (const x of words(c)) {
      const d = Math.min(editDistance(t.text, x.text), editDistance(t.respelled, x.respelled));
      if (d <= editBudget(t.text, x.text) && (!best || d < best.d)) best = { term: x, d };
    }
    if (best) take([t], [best.term], 'EDIT_DISTANCE', 1 - best.d / Math.max(t.text.length, best.term.text.length));
  }
  // Numbers alone make a match only of names that are numbers alone (7-28).
  const onlyNumbers = matches.every((m) => isNumber(m.screened));
  if (matches.length === 0 || (onlyNumbers && [...q, ...c].some((t) => !isNumber(t.text)))) return null;

  // A word the screened name has beyond the listed one counts more against it than one it leaves
  // out: CAPE FORTUNE is seldom the listed FORTUNE, a crew list often shortens a long name.
  const total = [...q, ...c].reduce((s, t) => s + weight(t.text) * (t.used || !q.includes(t) ? 1 : EXTRA_WORD_WEIGHT), 0);
  return {
    similarity: Math.round((matchedWeight / total) * 10000) / 10000,
    matches,
    numbersAgreed,
    unmatchedScreened: q.filter((t) => !t.used).map((t) => t.text),
    unmatchedListed: c.filter((t) => !t.used).map((t) => t.text),
  };
}
