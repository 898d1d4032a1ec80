/** What one change or read leaves on the audit trail (src/audit writes it), as any layer notes it. */
import type { AccessBasis } from '../policy/types';

export interface AuditRecord {
  operation: string;
  recordIds: string[];
  dataOwners: string[];
  basis?: AccessBasis;
  agreementId?: string;
}
