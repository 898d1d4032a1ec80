/**
 * Country names as lists write them ("Panama", "St. Kitts & Nevis", "Democratic People's
 * Republic of Korea") to ISO 3166-1 alpha-2 codes: English names from Node's ICU
 * (Intl.DisplayNames) for every assigned code, plus the aliases real lists use.
 */
import { ISO_COUNTRY_CODES } from '../common/countries';

const key = (name: string) =>
  name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/\bst\.?(?=\s)/g, 'saint')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

const ALIASES: Record<string, string> = {
  "democratic people's republic of korea": 'KP',
  'korea, north': 'KP',
  'north korea': 'KP',
  'korea, south': 'KR',
  'republic of korea': 'KR',
  'south korea': 'KR',
  'hong kong': 'HK',
  macau: 'MO',
  macao: 'MO',
  turkey: 'TR',
  'russian federation': 'RU',
  'iran (islamic republic of)': 'IR',
  'syrian arab republic': 'SY',
  'viet nam': 'VN',
  'united states of america': 'US',
  'united kingdom of great britain and northern ireland': 'GB',
  'czech republic': 'CZ',
  burma: 'MM',
  'cabo verde': 'CV',
  'cape verde': 'CV',
  'ivory coast': 'CI',
  swaziland: 'SZ',
  'congo, democratic republic of the': 'CD',
  'democratic republic of the congo': 'CD',
  'republic of the congo': 'CG',
  'the bahamas': 'BS',
  'the gambia': 'GM',
  'micronesia, federated states of': 'FM',
  'bolivia (plurinational state of)': 'BO',
  'venezuela (bolivarian republic of)': 'VE',
  'tanzania, united republic of': 'TZ',
  laos: 'LA',
  palestine: 'PS',
  'vatican city': 'VA',
  'saint vincent and the grenadines': 'VC',
  'holy see': 'VA',
};

/** Names that mean "no country", which a list may hold instead of leaving the cell empty. */
const NONE = new Set(['none identified', 'unknown', 'none', 'stateless']);

let table: Map<string, string> | undefined;

function names(): Map<string, string> {
  if (table) return table;
  table = new Map();
  const display = new Intl.DisplayNames(['en'], { type: 'region' });
  for (const code of ISO_COUNTRY_CODES) {
    const name = display.of(code);
    if (name) table.set(key(name), code);
  }
  for (const [alias, code] of Object.entries(ALIASES)) table.set(key(alias), code);
  return table;
}

/**
 * The ISO code for a country name or code; null for "none identified" and the like; undefined
 * when the name is not known (the caller reports it).
 */
export function countryCodeOf(nameOrCode: string): string | null | undefined {
  const text = nameOrCode.trim();
  if (/^[A-Za-z]{2}$/.test(text) && ISO_COUNTRY_CODES.has(text.toUpperCase())) return text.toUpperCase();
  const k = key(text);
  if (NONE.has(k)) return null;
  return names().get(k);
}
