/** What one change or read leaves on the audit trail (src/audit writes it), as any layer notes it. */
import type { Decision } from '../policy/engine';
import type { AccessBasis, ShareableRecord, ShareableType } from '../policy/types';

export interface AuditRecord {
  operation: string;
  recordIds: string[];
  dataOwners: string[];
  basis?: AccessBasis;
  agreementId?: string;
}

/** The operation of a read of another agency's records (core fields only). */
export const READ_RECORDS = 'readRecords';
/** The operation of a read of another agency's records of which at least one sensitive field was read. */
export const READ_SENSITIVE_FIELDS = 'readSensitiveFields';

interface ReadGroup {
  owner: string;
  basis?: AccessBasis;
  agreementId?: string;
  records: Set<string>;
  sensitive: Set<string>;
}

/**
 * The reads of other agencies' records that one request (one live event, one webhook delivery)
 * made, as audit records: per data owner, basis and agreement, one `readRecords` record listing
 * the records read and one `readSensitiveFields` record listing those of which a sensitive field
 * was read. A record is in exactly one of the two, so counting the record ids of both counts each
 * record read once. A record is noted when its view is decided (RecordAccess, once per record);
 * never the reader's own records, and TLP:CLEAR records only when a sensitive field of them was
 * read (as before: a released sensitive field is audited whatever the TLP).
 */
export class RecordReads {
  private readonly groups = new Map<string, ReadGroup>();
  /** Other reads noted by a module under its own key (the analysts' triage notes). */
  private readonly others = new Map<string, AuditRecord>();

  /** `enabled` false: nothing is noted (benchmarks only, see HubOptions.benchmark). */
  constructor(
    private readonly reader: string,
    private readonly enabled = true,
  ) {}

  /** A record the reader sees under `decision`. */
  record(type: ShareableType, record: ShareableRecord & object, decision: Decision): void {
    if (!this.enabled || record.tlp === 'CLEAR') return;
    this.group(record, decision)?.records.add(recordId(type, record));
  }

  /** A sensitive field of a record was read under `decision` (the engine's field verdict said to audit it). */
  sensitiveField(type: ShareableType, record: ShareableRecord & object, decision: { basis: AccessBasis; agreementId?: string }): void {
    if (!this.enabled) return;
    this.group(record, decision)?.sensitive.add(recordId(type, record));
  }

  /** Any other read to audit, once per `key` in the request. */
  note(key: string, read: AuditRecord): void {
    if (this.enabled) this.others.set(key, read);
  }

  get empty(): boolean {
    return this.groups.size === 0 && this.others.size === 0;
  }

  /** The audit records of everything noted. */
  toAudit(): AuditRecord[] {
    const out: AuditRecord[] = [];
    const sensitiveByOwner = new Map<string, Set<string>>();
    for (const g of this.groups.values()) {
      const seen = sensitiveByOwner.get(g.owner) ?? new Set();
      for (const id of g.sensitive) seen.add(id);
      sensitiveByOwner.set(g.owner, seen);
    }
    for (const g of this.groups.values()) {
      const where = {
        dataOwners: [g.owner],
        ...(g.basis ? { basis: g.basis } : {}),
        ...(g.agreementId ? { agreementId: g.agreementId } : {}),
      };
      const plain = [...g.records].filter((id) => !sensitiveByOwner.get(g.owner)!.has(id));
      if (plain.length > 0) out.push({ operation: READ_RECORDS, recordIds: plain, ...where });
      if (g.sensitive.size > 0) out.push({ operation: READ_SENSITIVE_FIELDS, recordIds: [...g.sensitive], ...where });
    }
    return [...out, ...this.others.values()];
  }

  private group(record: ShareableRecord, decision: { basis?: AccessBasis; agreementId?: string }): ReadGroup | undefined {
    if (record.ownerAgency === this.reader) return undefined;
    const key = `${record.ownerAgency}\n${decision.basis ?? ''}\n${decision.agreementId ?? ''}`;
    let g = this.groups.get(key);
    if (!g) {
      g = { owner: record.ownerAgency, basis: decision.basis, agreementId: decision.agreementId, records: new Set(), sensitive: new Set() };
      this.groups.set(key, g);
    }
    return g;
  }
}

const recordId = (type: ShareableType, record: object) => `${type}:${(record as { id: string }).id}`;
