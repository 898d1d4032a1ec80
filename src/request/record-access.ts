/**
 * Per-request view of the policy engine: caches one decision per record so field rules stay
 * cheap, and knows which records the request reached only by reference.
 */
import { REFERENCED, decideRead, redactedFields, rowFilter, type Decision } from '../policy/engine';
import type { PolicySet, Principal, ShareableRecord, ShareableType } from '../policy/types';

export interface RecordView {
  visible: boolean;
  /** The engine's decision the view stands for (REFERENCED for a record reached by reference); ask fieldVerdict with it. */
  decision: Decision;
  /** Sensitive fields withheld from this principal (the engine's redactedFields). */
  redacted: string[];
}

export class RecordAccess {
  private readonly views = new WeakMap<object, RecordView>();
  private readonly referenced = new WeakSet<object>();

  constructor(
    readonly policy: PolicySet,
    readonly principal: Principal,
    readonly now: Date,
  ) {}

  /**
   * "Seeing a record implies seeing the core fields of what it references" (ACCESS-MODEL.md):
   * resolvers call this for an entry's watchlist and similar, never for a record looked up directly.
   */
  markReferenced<T extends object>(record: T): T {
    this.referenced.add(record);
    return record;
  }

  view(type: ShareableType, record: ShareableRecord & object): RecordView {
    let v = this.views.get(record);
    if (!v) {
      v = this.compute(type, record, decideRead(this.policy, this.principal, type, record, this.now));
      this.views.set(record, v);
    }
    return v;
  }

  private compute(type: ShareableType, record: object, d: Decision): RecordView {
    const decision = !d.allowed && this.referenced.has(record) ? REFERENCED : d;
    if (!decision.allowed) return { visible: false, decision, redacted: [] };
    return {
      visible: true,
      decision,
      redacted: redactedFields(this.policy, type, decision),
    };
  }

  canRead(type: ShareableType, record: ShareableRecord & object): boolean {
    return decideRead(this.policy, this.principal, type, record, this.now).allowed;
  }

  /** The SQL predicate for lists, lookups and counts of `type` under table alias `alias`. */
  filter(type: ShareableType, alias: string) {
    return rowFilter(this.policy, this.principal, type, alias, this.now);
  }
}
