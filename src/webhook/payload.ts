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
import { Sighting } from '../watchlist/sighting.entity';

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

/** What every ENTRY_FEEDBACK delivery selects: the `entryFeedback` subscription's event, as the owner's analysts receive it. */
const FEEDBACK_SELECTION = `subscription PortcullisWebhookFeedback {
  feedback: entryFeedback {
    id outcome port observedAt note createdAt
    reportedBy { code name kind country }
    entry { id ownerAgency { code } vesselAsGiven { imo mmsi name flag } category riskLevel tlp jurisdiction }
  }
}`;

const DOCUMENT = parse(WEBHOOK_SELECTION);
const FEEDBACK_DOCUMENT = parse(FEEDBACK_SELECTION);

/** Fails at start-up if the schema no longer has what the selections name. */
export function checkWebhookSelection(schema: GraphQLSchema): void {
  const errors = [DOCUMENT, FEEDBACK_DOCUMENT].flatMap((d) => validate(schema, d, [...specifiedRules, ...queryLimitRules]));
  if (errors.length > 0)
    throw new Error(`the webhook payload selection does not fit the schema: ${errors.map((e) => e.message).join('; ')}`);
}

export interface RenderedEvent {
  data: { event: unknown } | { feedback: unknown } | null;
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
  /** An alert event, or (ENTRY_FEEDBACK) the sighting reported. */
  event: AlertEvent | Sighting;
  vessel?: Vessel;
  formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
}): Promise<RenderedEvent> {
  const ctx = createContext(opts.db, opts.policy, opts.principal, opts.requestId, opts.now);
  if (opts.vessel) ctx.loaders.get(vesselById).prime(opts.vessel.id, opts.vessel);
  const document = opts.event instanceof Sighting ? FEEDBACK_DOCUMENT : DOCUMENT;
  const result = await execute({ schema: opts.schema, document, rootValue: opts.event, contextValue: ctx });
  return {
    data: (result.data as RenderedEvent['data'] | undefined) ?? null,
    errors: result.errors?.map((e) => opts.formatError(e.toJSON(), e)),
    reads: ctx.reads.toAudit(),
  };
}
