/**
 * Per-request view of the policy engine: caches one decision per record so field rules stay
 * cheap, and knows which records the request reached only by reference.
 */
import {
  SEEN_THEN,
  decideRead,
  decideReferenced,
  fieldVerdict,
  redactedFields,
  rowFilter,
  type Decision,
  type FieldVerdict,
} from '../policy/engine';
import type { PolicySet, Principal, ShareableRecord, ShareableType } from '../policy/types';
import type { RecordReads } from './audit-record';

export interface RecordView {
  visible: boolean;
  /** The engine's decision the view stands for (REFERENCED for a record reached by reference); ask fieldVerdict with it. */
  decision: Decision;
  /** Sensitive fields withheld from this principal (the engine's redactedFields). */
  redacted: string[];
  /** The engine's field verdicts under this decision, field by field as asked (shared by equal decisions). */
  verdicts: Map<string, FieldVerdict>;
}

/**
 * What fieldVerdict reads of a decision, as one key: records decided alike (same type, basis,
 * agreement and released fields) share their field verdicts.
 */
const maskKey = (type: ShareableType, d: Decision) =>
  d.allowed ? `${type}|${d.basis ?? ''}|${d.agreementId ?? ''}|${d.releasedFields ? [...d.releasedFields].sort().join(',') : ''}` : type;

export class RecordAccess {
  private readonly views = new WeakMap<object, RecordView>();
  private readonly referenced = new WeakSet<object>();
  private readonly seenThen = new WeakSet<object>();
  /** Field verdicts per maskKey: each asked of the engine once per request, not once per field of every row. */
  private readonly masks = new Map<string, Map<string, FieldVerdict>>();

  constructor(
    readonly policy: PolicySet,
    readonly principal: Principal,
    readonly now: Date,
    /** Where each record's read is noted for the audit trail, once, when its view is decided. */
    private readonly reads?: RecordReads,
  ) {}

  /**
   * A record reached from a record the caller sees now (an entry's watchlist, a report's escalated
   * alert): the engine decides it as a reference (decideReferenced). Never for a record looked up
   * directly, nor for one reached from something that is not a shareable record (a sighting).
   */
  markReferenced<T extends object>(record: T): T {
    this.referenced.add(record);
    return record;
  }

  /**
   * A past version of a record, as the caller legitimately saw it then (a sighting's entry as its
   * reporter saw it when reporting): the engine's SEEN_THEN, core fields only.
   */
  markSeenThen<T extends object>(record: T): T {
    this.seenThen.add(record);
    return record;
  }

  view(type: ShareableType, record: ShareableRecord & object): RecordView {
    let v = this.views.get(record);
    if (!v) {
      const decide = this.referenced.has(record) ? decideReferenced : decideRead;
      const decision = this.seenThen.has(record) ? SEEN_THEN : decide(this.policy, this.principal, type, record, this.now);
      v = this.compute(type, decision);
      this.views.set(record, v);
      if (v.visible) this.reads?.record(type, record, decision);
    }
    return v;
  }

  private compute(type: ShareableType, decision: Decision): RecordView {
    const key = maskKey(type, decision);
    let verdicts = this.masks.get(key);
    if (!verdicts) this.masks.set(key, (verdicts = new Map()));
    if (!decision.allowed) return { visible: false, decision, redacted: [], verdicts };
    return {
      visible: true,
      decision,
      redacted: redactedFields(this.policy, type, decision),
      verdicts,
    };
  }

  /** The engine's fieldVerdict on `field` of a record seen as `view`, asked once per mask. */
  fieldVerdict(type: ShareableType, view: RecordView, field: string): FieldVerdict {
    let verdict = view.verdicts.get(field);
    if (!verdict) view.verdicts.set(field, (verdict = fieldVerdict(this.policy, type, field, view.decision)));
    return verdict;
  }

  canRead(type: ShareableType, record: ShareableRecord & object): boolean {
    return decideRead(this.policy, this.principal, type, record, this.now).allowed;
  }

  /** The SQL predicate for lists, lookups and counts of `type` under table alias `alias`. */
  filter(type: ShareableType, alias: string) {
    return rowFilter(this.policy, this.principal, type, alias, this.now);
  }
}
