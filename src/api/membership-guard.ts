/**
 * Records outlive memberships: a record keeps its owner's code, and every reader is shown that
 * agency. So the hub refuses a policy set that drops an agency its records still name, and says
 * which records and what to do instead (keep the agency listed with `departed:`), rather than
 * answering every list that holds one of those records with an internal error.
 */
import type { DataSource } from 'typeorm';
import { toGlobalId } from '../graphql/ids';
import type { PolicySet } from '../policy/types';
import type { PolicyCheck } from '../request/policy-store';
import { MODULES } from './modules';

/** Records named in a refusal, per kind of record: enough to find them, not a dump. */
const SAMPLE = 3;

const AGENCY_COLUMNS = MODULES.flatMap((m) => m.agencyColumns ?? []);

/** A record as a member would look it up: by its global id when node(id) knows its type. */
const nameOf = (record: string, id: string) => (MODULES.some((m) => m.nodes?.[record]) ? toGlobalId(record, id) : id);

export function dropsNoRecordOwner(db: DataSource): PolicyCheck {
  return async (policy: PolicySet) => {
    const listed = [...policy.agencies.keys(), ...policy.departed.keys()];
    const missing = new Map<string, string[]>();
    for (const { table, column, record, id } of AGENCY_COLUMNS) {
      const counts: { agency: string; n: string }[] = await db.query(
        `SELECT ${column} AS agency, count(*) AS n FROM ${table} WHERE NOT (${column} = ANY($1)) GROUP BY ${column} ORDER BY ${column}`,
        [listed],
      );
      for (const { agency, n } of counts) {
        const sample: { id: string }[] = await db.query(
          `SELECT ${id}::text AS id FROM ${table} WHERE ${column} = $1 ORDER BY ${id} LIMIT ${SAMPLE}`,
          [agency],
        );
        const more = Number(n) > sample.length ? ', ...' : '';
        const found = missing.get(agency) ?? [];
        found.push(`${record}: ${n} (${sample.map((r) => nameOf(record, r.id)).join(', ')}${more})`);
        missing.set(agency, found);
      }
    }
    if (missing.size === 0) return undefined;
    const named = [...missing].map(([agency, records]) => `${agency} is named by ${records.join('; ')}`).join('. ');
    return (
      `agencies.yaml drops agencies that records still name. ${named}. ` +
      'Keep each listed with `departed: YYYY-MM-DD` instead of removing it: it can no longer sign in, and its records stay under the same rules.'
    );
  };
}
