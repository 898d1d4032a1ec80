/**
 * The audit trail: append-only and hash-chained, so a removed or altered row breaks the chain.
 * Appends serialise on a transaction-scoped advisory lock to keep the chain linear.
 */
import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { AccessBasis, Principal } from '../policy/types';
import { AuditEvent } from './audit-event.entity';

export interface AuditRecord {
  operation: string;
  recordIds: string[];
  dataOwners: string[];
  basis?: AccessBasis;
  agreementId?: string;
}

export interface AuditActor {
  principal: Principal;
  requestId?: string;
}

const AUDIT_LOCK_KEY = 0x706f7274; // "port"
export const GENESIS_HASH = '0'.repeat(64);

function chainHash(prev: string, e: Omit<AuditEvent, 'sequence' | 'hash' | 'prevHash'>): string {
  const canonical = JSON.stringify([
    e.at.toISOString(), e.subject, e.agency, e.operation, e.recordIds, e.dataOwners,
    e.basis ?? null, e.agreementId ?? null, e.purpose ?? null, e.requestId ?? null,
  ]);
  return createHash('sha256').update(prev).update(canonical).digest('hex');
}

/** Append within the caller's transaction, so the audit row commits with the change it records. */
export async function appendAudit(manager: EntityManager, actor: AuditActor, records: AuditRecord[]): Promise<void> {
  if (records.length === 0) return;
  if (!manager.queryRunner?.isTransactionActive) {
    await manager.transaction((tx) => appendAudit(tx, actor, records));
    return;
  }
  await manager.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_LOCK_KEY]);
  const last: { hash: string }[] = await manager.query('SELECT hash FROM audit_events ORDER BY sequence DESC LIMIT 1');
  let prev = last[0]?.hash ?? GENESIS_HASH;
  const at = new Date();
  const rows = records.map((r) => {
    const event = {
      at,
      subject: actor.principal.subject,
      agency: actor.principal.agency.code,
      operation: r.operation,
      recordIds: r.recordIds,
      dataOwners: [...new Set(r.dataOwners)],
      basis: r.basis ?? null,
      agreementId: r.agreementId ?? null,
      purpose: actor.principal.purpose ?? null,
      requestId: actor.requestId ?? null,
    };
    const hash = chainHash(prev, event);
    const row = { ...event, prevHash: prev, hash };
    prev = hash;
    return row;
  });
  await manager.getRepository(AuditEvent).insert(rows);
}

/** Recompute the chain; returns the sequence of the first broken link, or undefined if intact. */
export async function verifyAuditChain(manager: EntityManager): Promise<string | undefined> {
  const events = await manager.getRepository(AuditEvent).find({ order: { sequence: 'ASC' } });
  let prev = GENESIS_HASH;
  for (const e of events) {
    if (e.prevHash !== prev || chainHash(prev, e) !== e.hash) return e.sequence;
    prev = e.hash;
  }
  return undefined;
}
