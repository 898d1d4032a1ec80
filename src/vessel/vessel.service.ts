/** Vessels are reference data, upserted by IMO from the reference a write carries. */
import type { EntityManager } from 'typeorm';
import { text } from '../common/validate';
import { byIdLoader } from '../request/by-id-loader';
import { defineLoader } from '../request/context';
import { Vessel } from './vessel.entity';

/** Vessels by id, for records that reference one: vessels are reference data every member reads. */
export const vesselById = defineLoader((ctx) => byIdLoader(ctx.db, Vessel));

export interface VesselRef {
  imo: string;
  mmsi?: string | null;
  name: string;
  flag?: string | null;
  callSign?: string | null;
  vesselType?: string | null;
}

/**
 * Insert or refresh the vessel with this IMO. A changed name keeps the old one in formerNames,
 * and identifiers the reference leaves out keep their stored values.
 */
export async function upsertVessel(manager: EntityManager, ref: VesselRef): Promise<Vessel> {
  const name = text(ref.name, 'vessel.name', 200);
  const callSign = text(ref.callSign, 'vessel.callSign', 20);
  const vesselType = text(ref.vesselType, 'vessel.vesselType', 100);
  // Most writes name a vessel exactly as the registry knows it: then touch nothing, so alerts
  // about one vessel do not queue behind each other's row lock until commit.
  const known = await manager.getRepository(Vessel).findOneBy({ imo: ref.imo });
  const same = (given: string | null | undefined, stored: string | null) => given === null || given === undefined || given === stored;
  if (
    known &&
    known.name === name &&
    same(ref.mmsi, known.mmsi) &&
    same(ref.flag, known.flag) &&
    same(callSign, known.callSign) &&
    same(vesselType, known.vesselType)
  ) {
    return known;
  }
  const rows: { id: string }[] = await manager.query(
    `INSERT INTO vessels AS v (imo, mmsi, name, flag, call_sign, vessel_type)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (imo) DO UPDATE SET
       mmsi = COALESCE(EXCLUDED.mmsi, v.mmsi),
       flag = COALESCE(EXCLUDED.flag, v.flag),
       call_sign = COALESCE(EXCLUDED.call_sign, v.call_sign),
       vessel_type = COALESCE(EXCLUDED.vessel_type, v.vessel_type),
       former_names = CASE
         WHEN upper(v.name) <> upper(EXCLUDED.name) AND NOT (v.name = ANY(v.former_names))
         THEN array_append(v.former_names, v.name) ELSE v.former_names END,
       name = EXCLUDED.name,
       updated_at = now()
     RETURNING id`,
    [ref.imo, ref.mmsi ?? null, name, ref.flag ?? null, callSign, vesselType],
  );
  return manager.getRepository(Vessel).findOneByOrFail({ id: rows[0].id });
}
