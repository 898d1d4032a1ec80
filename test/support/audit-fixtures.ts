/** Audit actors and records for the audit trail's tests. */
import type { AuditActor } from '../../src/audit/audit.service';
import type { AuditRecord } from '../../src/request/audit-record';
import type { Principal } from '../../src/policy/types';

const principal = (code: string): Principal => ({
  subject: `test-${code}`,
  agency: { code, name: code, kind: 'CUSTOMS', country: 'NL', ports: ['NLRTM'] },
  roles: ['viewer'],
  purpose: 'CUSTOMS',
  issuer: 'test',
  expiresAt: Math.floor(Date.now() / 1000) + 3600,
});

/** A viewer of agency `code` whose audited work carries `requestId`. */
export const auditActor = (code: string, requestId: string): AuditActor => ({ principal: principal(code), requestId });

/** nl-customs's own alert `recordId`, read. */
export const readOf = (recordId: string): AuditRecord => ({
  operation: 'vesselAlert',
  recordIds: [recordId],
  dataOwners: ['nl-customs'],
  basis: 'OWNER',
});
