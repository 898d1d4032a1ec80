import { rule } from 'graphql-shield';
import { canReadAuditAnomaly } from '../policy/scopes';
import type { RequestContext } from '../request/context';
import type { FeatureModule } from '../request/module';
import { capability, denied, every, isAuthenticated } from '../request/rules';
import { AuditAnomaly } from './anomaly.entity';
import { AuditAnomalyResolver } from './anomaly.resolver';
import { AuditEvent } from './audit-event.entity';
import { AccessReviewReaderResolver, AuditResolver } from './audit.resolver';

/** Every field of an anomaly: for the data owner only (the engine's canReadAuditAnomaly), however it reached a response. */
const anomalyField = rule({ cache: 'strict' })(
  (parent: AuditAnomaly, _a, ctx: RequestContext) =>
    canReadAuditAnomaly(ctx.principal, parent) || denied('RECORD', 'AuditAnomaly is not visible to ' + ctx.principal.agency.code),
);

/** The hash-chained audit trail, its reading by the agency's auditors, and the anomalies raised from it. */
export const auditModule: FeatureModule = {
  name: 'audit',
  resolvers: [AuditResolver, AccessReviewReaderResolver, AuditAnomalyResolver],
  entities: [AuditEvent, AuditAnomaly],
  rules: {
    Query: {
      auditTrail: capability(() => ({ kind: 'readAuditTrail' })),
      auditReadVolume: capability(() => ({ kind: 'readAuditTrail' })),
      auditCheckpoint: capability(() => ({ kind: 'readAuditTrail' })),
      auditAnomalies: capability(() => ({ kind: 'readAuditTrail' })),
      auditAccessReview: capability(() => ({ kind: 'readAuditTrail' })),
    },
    Subscription: { auditAnomalyRaised: capability(() => ({ kind: 'readAuditTrail' })) },
    AuditReadVolume: every(['key', 'events', 'records'], isAuthenticated),
    // The review is built from events the auditor's scope admitted, reads of its own agency's records.
    AccessReview: every(['from', 'to', 'agreements'], isAuthenticated),
    AgreementAccessReview: every(['agreementId', 'purpose', 'recipients', 'readers'], isAuthenticated),
    AccessReviewReader: every(['agency', 'subject', 'events', 'recordsRead', 'distinctRecords', 'lastReadAt'], isAuthenticated),
    // A signed head is the same for every auditor: nothing in it is another agency's.
    AuditCheckpoint: every(['sequence', 'hash', 'signedAt', 'keyId', 'publicKey', 'signature'], isAuthenticated),
    // The query's row filter has admitted each event; every field of an admitted event is the
    // auditor's, and `subject` shows who acted only where the engine's scope lets it (AuditResolver.subject).
    AuditEvent: every(
      ['id', 'sequence', 'at', 'subject', 'agency', 'operation', 'recordIds', 'basis', 'agreementId', 'purpose', 'requestId', 'hash'],
      isAuthenticated,
    ),
    AuditAnomaly: every(
      [
        'id',
        'kind',
        'agency',
        'ownerAgency',
        'subject',
        'windowStart',
        'windowEnd',
        'reads',
        'baseline',
        'partners',
        'threshold',
        'raisedAt',
      ],
      anomalyField,
    ),
  },
  connections: ['AuditEvent', 'AuditAnomaly'],
  // The inbox too: its rows become audit events within seconds.
  agencyColumns: [
    { table: 'audit_events', column: 'agency', record: 'audit event', id: 'sequence' },
    { table: 'audit_inbox', column: 'agency', record: 'audit event (being sealed)', id: 'id' },
    { table: 'audit_anomalies', column: 'owner_agency', record: 'audit anomaly', id: 'id' },
    { table: 'audit_anomalies', column: 'agency', record: 'audit anomaly', id: 'id' },
  ],
};
