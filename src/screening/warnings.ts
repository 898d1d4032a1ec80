/**
 * Identity warnings of a screened vessel: what an analyst wants to know about the identifiers a
 * ship announced, hit or no hit. Pure functions of the query and the registry's record, so they
 * are tested without a database and cost nothing per request.
 */
import { isPlaceholderMmsi, mmsiMid } from '../common/identifiers';
import { midAllocations, midCountries } from './mid';

export const WARNING_CODES = [
  'PLACEHOLDER_MMSI',
  'MMSI_NOT_SHIP_STATION',
  'MMSI_MID_UNALLOCATED',
  'MMSI_FLAG_MISMATCH',
  'MMSI_DIFFERS_FROM_REGISTRY',
  'MMSI_OF_OTHER_VESSEL',
  'NAME_DIFFERS_FROM_REGISTRY',
  'FORMER_NAME',
  'FLAG_DIFFERS_FROM_REGISTRY',
] as const;
export type WarningCode = (typeof WARNING_CODES)[number];

export interface Warning {
  code: WarningCode;
  message: string;
}

export interface WarningInput {
  imo?: string | null;
  mmsi?: string | null;
  name?: string | null;
  flag?: string | null;
  /** The registry's vessel for the IMO given (or, without an IMO, the only vessel with the MMSI). */
  registry?: { imo: string; mmsi: string | null; name: string | null; flag: string | null } | null;
  /**
   * How the given name relates to the registry vessel's names after normalisation:
   * 'current', 'former', or 'other' (neither); undefined when there is no name or no registry record.
   */
  nameOnRecord?: 'current' | 'former' | 'other';
  /** IMO numbers of other registry vessels recorded with the given MMSI. */
  mmsiOtherImos?: string[];
}

/** What a non-ship MMSI is (ITU-R M.585), by its leading digits. */
function stationKind(mmsi: string): string {
  if (mmsi.startsWith('00')) return 'a coast station';
  if (mmsi.startsWith('0')) return 'a group call';
  if (mmsi.startsWith('111')) return 'a SAR aircraft';
  if (/^97[024]/.test(mmsi)) return 'a distress beacon (AIS-SART, MOB or EPIRB-AIS)';
  if (mmsi.startsWith('98')) return 'a craft associated with a parent ship';
  if (mmsi.startsWith('99')) return 'an aid to navigation';
  if (mmsi.startsWith('8')) return 'a handheld VHF';
  return 'not a ship station';
}

export function identityWarnings(q: WarningInput): Warning[] {
  const out: Warning[] = [];
  const reg = q.registry ?? undefined;
  const flag = q.flag ?? reg?.flag ?? undefined;
  const flagSource = q.flag ? 'the flag given' : 'the flag on record';

  if (q.mmsi) {
    if (isPlaceholderMmsi(q.mmsi)) {
      out.push({ code: 'PLACEHOLDER_MMSI', message: `MMSI ${q.mmsi} is a placeholder or factory default, not an assigned number` });
    }
    const mid = mmsiMid(q.mmsi);
    if (mid === undefined) {
      out.push({ code: 'MMSI_NOT_SHIP_STATION', message: `MMSI ${q.mmsi} is ${stationKind(q.mmsi)}, not a ship station` });
    } else if (!midAllocations(mid)) {
      out.push({
        code: 'MMSI_MID_UNALLOCATED',
        message: `MMSI ${q.mmsi}: Maritime Identification Digits ${mid} are not allocated by the ITU`,
      });
    } else if (flag && !midCountries(mid).includes(flag)) {
      const to = midAllocations(mid)!
        .map((a) => a.allocatedTo)
        .join(' / ');
      out.push({
        code: 'MMSI_FLAG_MISMATCH',
        message: `MMSI ${q.mmsi}: Maritime Identification Digits ${mid} belong to ${to} (${midCountries(mid).join(', ')}), but ${flagSource} is ${flag}`,
      });
    }
    if (reg?.mmsi && reg.mmsi !== q.mmsi && reg.imo === q.imo) {
      out.push({ code: 'MMSI_DIFFERS_FROM_REGISTRY', message: `MMSI ${q.mmsi} differs from ${reg.mmsi} on record for IMO ${reg.imo}` });
    }
    if (q.mmsiOtherImos && q.mmsiOtherImos.length > 0) {
      const shown = q.mmsiOtherImos.slice(0, 5).join(', ') + (q.mmsiOtherImos.length > 5 ? ', …' : '');
      out.push({ code: 'MMSI_OF_OTHER_VESSEL', message: `MMSI ${q.mmsi} is on record for another vessel: IMO ${shown}` });
    }
  }
  // A vessel no registry authority has named has no name to differ from.
  if (reg?.name && q.name && q.nameOnRecord === 'former') {
    out.push({ code: 'FORMER_NAME', message: `"${q.name}" is a former name of IMO ${reg.imo}, now "${reg.name}"` });
  } else if (reg?.name && q.name && q.nameOnRecord === 'other') {
    out.push({ code: 'NAME_DIFFERS_FROM_REGISTRY', message: `name "${q.name}" differs from "${reg.name}" on record for IMO ${reg.imo}` });
  }
  if (reg && q.flag && reg.flag && q.flag !== reg.flag) {
    out.push({ code: 'FLAG_DIFFERS_FROM_REGISTRY', message: `flag ${q.flag} differs from ${reg.flag} on record for IMO ${reg.imo}` });
  }
  return out;
}
