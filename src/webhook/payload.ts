/**
 * A delivery's body, exactly as a subscriber would receive the event: a fixed selection of the
 * `vesselAlerts` subscription executed against the hub's protected schema (graphql-shield and
 * all) with the registration's principal as context and the event as the root value. Redaction
 * and the FORBIDDEN errors at withheld fields therefore come from the same field rules as every
 * other answer; nothing here decides what a field shows.
 */
import { execute, parse, specifiedRules, validate, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import type { DataSource } from 'typeorm';
import type { AlertEvent } from '../alert/alert-event.type';
import type { AuditRecord } from '../request/audit-record';
import type { PolicySet, Principal } from '../policy/types';
import { createContext } from '../request/context';
import { queryLimitRules } from '../graphql/limits';
import type { Vessel } from '../vessel/vessel.entity';
import { vesselById } from '../vessel/vessel.service';

/** What every delivery selects (documented in the README; receivers may rely on it). */
const WEBHOOK_SELECTION = `subscription PortcullisWebhook {
  event: vesselAlerts {
    sequence kind alertId
    alert {
      id sequence category severity title description port location { lat lon }
      tlp jurisdiction recipients status issuedAt expiresAt intelligenceSummary
      ownerAgency { code name kind country }
      vessel { imo mmsi name flag callSign vesselType }
      vesselAsGiven { imo mmsi name flag callSign vesselType formerNames }
      access { basis agreementId redactedFields }
    }
  }
}`;

const DOCUMENT = parse(WEBHOOK_SELECTION);

/** Fails at start-up if the schema no longer has what the selection names. */
export function checkWebhookSelection(schema: GraphQLSchema): void {
  const errors = validate(schema, DOCUMENT, [...specifiedRules, ...queryLimitRules]);
  if (errors.length > 0)
    throw new Error(`the webhook payload selection does not fit the schema: ${errors.map((e) => e.message).join('; ')}`);
}

export interface RenderedEvent {
  data: { event: unknown } | null;
  errors?: GraphQLFormattedError[];
  /** Reads of another agency's records (and their sensitive fields), for the audit trail. */
  reads: AuditRecord[];
}

export async function renderEvent(opts: {
  schema: GraphQLSchema;
  db: DataSource;
  policy: PolicySet;
  principal: Principal;
  requestId: string;
  now: Date;
  event: AlertEvent;
  vessel?: Vessel;
  formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
}): Promise<RenderedEvent> {
  const ctx = createContext(opts.db, opts.policy, opts.principal, opts.requestId, opts.now);
  if (opts.vessel) ctx.loaders.get(vesselById).prime(opts.vessel.id, opts.vessel);
  const result = await execute({ schema: opts.schema, document: DOCUMENT, rootValue: opts.event, contextValue: ctx });
  return {
    data: (result.data as { event: unknown } | null | undefined) ?? null,
    errors: result.errors?.map((e) => opts.formatError(e.toJSON(), e)),
    reads: ctx.reads.toAudit(),
  };
}
