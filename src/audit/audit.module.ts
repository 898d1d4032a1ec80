import { rule } from 'graphql-shield';
import { canReadAuditSubject } from '../policy/scopes';
import type { RequestContext } from '../request/context';
import type { FeatureModule } from '../request/module';
import { capability, denied, every, isAuthenticated } from '../request/rules';
import { AuditEvent } from './audit-event.entity';
import { AuditResolver } from './audit.resolver';

/** Who acted: the engine's scope rule (canReadAuditSubject) on an event the query already admitted. */
const auditSubject = rule({ cache: 'no_cache' })((e: AuditEvent, _a, ctx: RequestContext, info) =>
  canReadAuditSubject(ctx.principal, e)
    ? true
    : denied("AuditEvent.subject is withheld: who acted on a report is for the analysts of the report's jurisdiction", info),
);

/** The hash-chained audit trail and its reading by the agency's auditors. */
export const auditModule: FeatureModule = {
  name: 'audit',
  resolvers: [AuditResolver],
  entities: [AuditEvent],
  rules: {
    Query: { auditTrail: capability(() => ({ kind: 'readAuditTrail' })) },
    // The query's row filter has admitted each event; every field of an admitted event but the person who acted is the auditor's.
    AuditEvent: {
      ...every(
        ['id', 'sequence', 'at', 'agency', 'operation', 'recordIds', 'basis', 'agreementId', 'purpose', 'requestId', 'hash'],
        isAuthenticated,
      ),
      subject: auditSubject,
    },
  },
  connections: ['AuditEvent'],
};
