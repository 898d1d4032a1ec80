/**
 * The registry's only writer: values recorded by a registry authority (agencies.yaml
 * `registryAuthority: true`), each with its origin (agency, source, time) in `vessels.provenance`.
 * A value left out keeps the stored one and its origin; a value recorded again unchanged keeps
 * the origin it had, so loading the same source twice changes nothing. A new name moves the old
 * one to formerNames, which therefore only ever hold names an authority recorded.
 */
import type { EntityManager } from 'typeorm';
import { authorize } from '../request/authorize';
import type { RequestContext } from '../request/context';

/** One vessel as a registry source gives it; validated (src/import/row.ts validateRegistryRow). */
export interface RegistryRecord {
  imo: string;
  name: string;
  mmsi: string | null;
  flag: string | null;
  callSign: string | null;
  vesselType: string | null;
  formerNames: string[];
}

export interface RegistryWrite {
  created: number;
  updated: number;
  /** ids of the vessels added or changed */
  ids: string[];
}

/** Throws FORBIDDEN with the engine's reason unless the caller may write the registry. */
export function authorizeRegistryWrite(ctx: RequestContext): void {
  authorize(ctx, { kind: 'writeRegistry' });
}

const SEP = '\u001f'; // unit separator: row validation refuses control characters in names

/**
 * Records `records` (distinct IMO numbers) from `source` as the caller's agency, in the caller's
 * transaction `m`. The caller checks authorizeRegistryWrite first; this checks again, so no path
 * can write the registry without the engine's consent.
 */
export async function recordRegistryValues(
  ctx: RequestContext,
  m: EntityManager,
  source: string,
  records: RegistryRecord[],
): Promise<RegistryWrite> {
  authorizeRegistryWrite(ctx);
  if (records.length === 0) return { created: 0, updated: 0, ids: [] };
  // Rows are locked in IMO order, so two imports that touch the same vessels never deadlock.
  records = [...records].sort((a, b) => a.imo.localeCompare(b.imo));
  const origin = `jsonb_build_object('agency', $9::text, 'source', $10::text, 'recordedAt', now())`;
  // A field's origin changes only where its value does.
  const originIf = (changed: string) => `CASE WHEN ${changed} THEN ${origin} END`;
  const rows: { id: string; created: boolean }[] = await m.query(
    `INSERT INTO vessels AS v (imo, mmsi, name, flag, call_sign, vessel_type, former_names, provenance)
     SELECT t.imo, t.mmsi, t.name, t.flag, t.call_sign, t.vessel_type, f.names,
       jsonb_strip_nulls(jsonb_build_object(
         'name', ${origin},
         'mmsi', ${originIf('t.mmsi IS NOT NULL')},
         'flag', ${originIf('t.flag IS NOT NULL')},
         'callSign', ${originIf('t.call_sign IS NOT NULL')},
         'vesselType', ${originIf('t.vessel_type IS NOT NULL')},
         'formerNames', ${originIf('cardinality(f.names) > 0')}))
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
       AS t(imo, mmsi, name, flag, call_sign, vessel_type, former)
     CROSS JOIN LATERAL (SELECT merge_former_names('{}', string_to_array(t.former, $8), NULL, t.name) AS names) f
     ON CONFLICT (imo) DO UPDATE SET
       mmsi = COALESCE(EXCLUDED.mmsi, v.mmsi),
       name = EXCLUDED.name,
       flag = COALESCE(EXCLUDED.flag, v.flag),
       call_sign = COALESCE(EXCLUDED.call_sign, v.call_sign),
       vessel_type = COALESCE(EXCLUDED.vessel_type, v.vessel_type),
       former_names = merge_former_names(v.former_names, EXCLUDED.former_names, v.name, EXCLUDED.name),
       provenance = v.provenance || jsonb_strip_nulls(jsonb_build_object(
         'name', ${originIf('EXCLUDED.name IS DISTINCT FROM v.name')},
         'mmsi', ${originIf('EXCLUDED.mmsi IS NOT NULL AND EXCLUDED.mmsi IS DISTINCT FROM v.mmsi')},
         'flag', ${originIf('EXCLUDED.flag IS NOT NULL AND EXCLUDED.flag IS DISTINCT FROM v.flag')},
         'callSign', ${originIf('EXCLUDED.call_sign IS NOT NULL AND EXCLUDED.call_sign IS DISTINCT FROM v.call_sign')},
         'vesselType', ${originIf('EXCLUDED.vessel_type IS NOT NULL AND EXCLUDED.vessel_type IS DISTINCT FROM v.vessel_type')},
         'formerNames', ${originIf('merge_former_names(v.former_names, EXCLUDED.former_names, v.name, EXCLUDED.name) IS DISTINCT FROM v.former_names')})),
       updated_at = now()
     WHERE (v.mmsi, v.name, v.flag, v.call_sign, v.vessel_type, v.former_names) IS DISTINCT FROM
       (COALESCE(EXCLUDED.mmsi, v.mmsi), EXCLUDED.name, COALESCE(EXCLUDED.flag, v.flag), COALESCE(EXCLUDED.call_sign, v.call_sign),
        COALESCE(EXCLUDED.vessel_type, v.vessel_type), merge_former_names(v.former_names, EXCLUDED.former_names, v.name, EXCLUDED.name))
     RETURNING v.id, (v.xmax = 0) AS created`,
    [
      records.map((r) => r.imo),
      records.map((r) => r.mmsi),
      records.map((r) => r.name),
      records.map((r) => r.flag),
      records.map((r) => r.callSign),
      records.map((r) => r.vesselType),
      records.map((r) => r.formerNames.join(SEP)),
      SEP,
      ctx.principal.agency.code,
      source,
    ],
  );
  const created = rows.filter((r) => r.created).length;
  return { created, updated: rows.length - created, ids: rows.map((r) => r.id) };
}
