/**
 * The watchlist entries in force, by the IMO and MMSI they name, refreshed from the database every
 * few seconds: the rules ask it on every position, so it lives in memory. An entry names its
 * vessel by IMO (the registry's vessel) and may give an MMSI; the registry's MMSI for that IMO
 * counts too.
 */
import type { DataSource } from 'typeorm';
import type { RiskLevel, ThreatCategory } from '../graphql/enums';
import type { ShareableRecord, Tlp } from '../policy/types';

export interface WatchedEntry extends ShareableRecord {
  id: string;
  imo: string;
  mmsis: string[];
  name: string | null;
  category: ThreatCategory;
  riskLevel: RiskLevel;
  tlp: Tlp;
}

interface EntryRow {
  id: string;
  owner_agency: string;
  tlp: Tlp;
  jurisdiction: string;
  recipients: string[];
  category: ThreatCategory;
  risk_level: RiskLevel;
  imo: string;
  registry_mmsi: string | null;
  given_mmsi: string | null;
  name: string | null;
}

/** What the shared vessel registry says of a vessel, for the identity checks. */
export interface RegistryVessel {
  imo: string;
  mmsi: string | null;
  flag: string | null;
}

export class WatchedVessels {
  private byImo = new Map<string, WatchedEntry[]>();
  private byMmsi = new Map<string, WatchedEntry[]>();
  private registryByImo = new Map<string, RegistryVessel>();
  private registryByMmsi = new Map<string, RegistryVessel>();

  constructor(private readonly db: DataSource) {}

  /** Reads the entries in force now; the previous index stays in use until the new one is whole. */
  async refresh(): Promise<void> {
    const rows: EntryRow[] = await this.db.query(`
      SELECT e.id, e.owner_agency, e.tlp, e.jurisdiction, e.recipients, e.category, e.risk_level,
             v.imo, v.mmsi AS registry_mmsi, e.vessel_as_given->>'mmsi' AS given_mmsi, e.vessel_as_given->>'name' AS name
        FROM watchlist_entries e JOIN vessels v ON v.id = e.vessel_id
       WHERE e.valid_from <= now() AND (e.valid_until IS NULL OR e.valid_until > now())`);
    const byImo = new Map<string, WatchedEntry[]>();
    const byMmsi = new Map<string, WatchedEntry[]>();
    const add = (map: Map<string, WatchedEntry[]>, key: string, e: WatchedEntry) => map.set(key, [...(map.get(key) ?? []), e]);
    for (const r of rows) {
      const mmsis = [...new Set([r.registry_mmsi, r.given_mmsi].filter((m): m is string => !!m))];
      const entry: WatchedEntry = {
        id: r.id,
        ownerAgency: r.owner_agency,
        tlp: r.tlp,
        jurisdiction: r.jurisdiction,
        recipients: r.recipients,
        category: r.category,
        riskLevel: r.risk_level,
        imo: r.imo.trim(),
        mmsis,
        name: r.name,
      };
      add(byImo, entry.imo, entry);
      for (const mmsi of mmsis) add(byMmsi, mmsi, entry);
    }
    this.byImo = byImo;
    this.byMmsi = byMmsi;
    const vessels: RegistryVessel[] = await this.db.query(`SELECT trim(imo) AS imo, mmsi, flag FROM vessels`);
    this.registryByImo = new Map(vessels.map((v) => [v.imo, v]));
    this.registryByMmsi = new Map(vessels.filter((v) => v.mmsi).map((v) => [v.mmsi!, v]));
  }

  /** The registry's vessel with this IMO, or else the one it knows by this MMSI. */
  registry(imo: string | null | undefined, mmsi: string): { byImo?: RegistryVessel; byMmsi?: RegistryVessel } {
    return { byImo: imo ? this.registryByImo.get(imo) : undefined, byMmsi: this.registryByMmsi.get(mmsi) };
  }

  /** Entries about the vessel transmitting as `mmsi` (and announcing `imo`, when it has). */
  entriesFor(mmsi: string, imo: string | null | undefined): WatchedEntry[] {
    const found = this.byMmsi.get(mmsi) ?? [];
    const byImo = imo ? (this.byImo.get(imo) ?? []) : [];
    if (byImo.length === 0) return found;
    return [...new Map([...found, ...byImo].map((e) => [e.id, e])).values()];
  }

  /** Whether any entry names this MMSI or IMO: its positions are kept (AIS_RETENTION_DAYS). */
  isWatched(mmsi: string, imo: string | null | undefined): boolean {
    return this.byMmsi.has(mmsi) || (!!imo && this.byImo.has(imo));
  }
}
