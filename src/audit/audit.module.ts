import type { FeatureModule } from '../request/module';
import { capability, every, isAuthenticated } from '../request/rules';
import { AuditEvent } from './audit-event.entity';
import { AccessReviewReaderResolver, AuditResolver } from './audit.resolver';

/** The hash-chained audit trail and its reading by the agency's auditors. */
export const auditModule: FeatureModule = {
  name: 'audit',
  resolvers: [AuditResolver, AccessReviewReaderResolver],
  entities: [AuditEvent],
  rules: {
    Query: {
      auditTrail: capability(() => ({ kind: 'readAuditTrail' })),
      auditReadVolume: capability(() => ({ kind: 'readAuditTrail' })),
      auditCheckpoint: capability(() => ({ kind: 'readAuditTrail' })),
      auditAccessReview: capability(() => ({ kind: 'readAuditTrail' })),
    },
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
  },
  connections: ['AuditEvent'],
  // The inbox too: its rows become audit events within seconds.
  agencyColumns: [
    { table: 'audit_events', column: 'agency', record: 'audit event', id: 'sequence' },
    { table: 'audit_inbox', column: 'agency', record: 'audit event (being sealed)', id: 'id' },
  ],
};
