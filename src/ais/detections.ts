/**
 * Detections become alerts through the alert module's one publishing path (publishAlertIn), as
 * report escalations do. An alert derived from a watchlist entry is the entry owner's, with the
 * entry's TLP, jurisdiction and recipients, so exactly those who may see the entry may see it;
 * other rules' alerts are the feed agency's, at the feed's TLP. One alert per detection key
 * (vessel, rule, port visit): later evidence updates it.
 */
import type { DataSource } from 'typeorm';
import { addDetectionEvidence, publishAlertIn, sequenced } from '../alert/alert.service';
import type { DetectionRule, StoredDetection } from '../alert/alert-detection';
import type { VesselAlert } from '../alert/vessel-alert.entity';
import { writeAudited } from '../audit/write-audited';
import type { RiskLevel, ThreatCategory } from '../graphql/enums';
import { decide } from '../policy/engine';
import type { PolicySet, ShareableRecord } from '../policy/types';
import { createContext } from '../request/context';
import type { Fix } from './tracks';

export interface Detection {
  rule: DetectionRule;
  /** One alert per key; evidence with the same key updates it. */
  key: string;
  feedId: string;
  /** Whose alert it is and who may see it: a watchlist entry's attributes, or the feed's. */
  access: ShareableRecord;
  /** Raised from a watchlist entry (access is the entry's). */
  fromEntry: boolean;
  vessel: { imo: string; mmsi: string; name: string | null };
  category: ThreatCategory;
  severity: RiskLevel;
  title: string;
  explanation: string;
  port: string | null;
  observedAt: Date;
  evidence: Fix[];
}

const stored = (fixes: Fix[]): StoredDetection['evidence'] =>
  fixes.map((f) => ({ at: f.at.toISOString(), lat: f.lat, lon: f.lon, sog: f.sog, cog: f.cog }));

/**
 * Publishes a detection, or adds its evidence to the alert its key already has. Returns what was
 * done, or 'skipped' when the owner may not publish alerts (a departed agency, or one the engine
 * refuses the capability, such as a private operator that owns an entry).
 */
export async function publishDetection(db: DataSource, policy: PolicySet, d: Detection): Promise<'published' | 'updated' | 'skipped'> {
  const agency = policy.agencies.get(d.access.ownerAgency);
  if (!agency) return 'skipped';
  // The hub acts for the owner, as a detection rule of this feed; the audit trail says so.
  const principal = { subject: `ais:${d.feedId}`, agency, roles: ['analyst' as const], issuer: 'portcullis-ais', expiresAt: 0 };
  if (!decide(policy, principal, { kind: 'publish', type: 'VesselAlert', ownerAgency: agency.code }).allowed) return 'skipped';
  const ctx = createContext(db, policy, principal, `ais:${d.key}`);
  let outcome: 'published' | 'updated' = 'updated';
  await writeAudited<VesselAlert>(ctx, async (m) => {
    const update = { observedAt: d.observedAt.toISOString(), explanation: d.explanation, evidence: stored(d.evidence) };
    let alert = await addDetectionEvidence(m, d.key, update, principal.subject);
    let operation = 'updateAlertDetection';
    if (!alert) {
      outcome = 'published';
      operation = 'publishAlert';
      alert = await publishAlertIn(
        m,
        ctx,
        {
          vessel: { imo: d.vessel.imo, mmsi: d.vessel.mmsi, name: d.vessel.name ?? `MMSI ${d.vessel.mmsi}` },
          category: d.category,
          severity: d.severity,
          title: d.title,
          description: d.explanation,
          port: d.port,
          location: d.evidence.at(-1) ? { lat: d.evidence.at(-1)!.lat, lon: d.evidence.at(-1)!.lon } : null,
          tlp: d.access.tlp,
          jurisdiction: d.access.jurisdiction,
          recipients: d.access.recipients.filter((r) => policy.agencies.has(r)),
        },
        null,
        { key: d.key, detection: { rule: d.rule, feed: d.feedId, ...update }, derivedFrom: d.fromEntry ? 'WatchlistEntry' : null },
      );
    }
    const done = alert;
    return {
      result: done,
      audit: [{ operation, recordIds: [`VesselAlert:${done.id}`], dataOwners: [done.ownerAgency] }],
      afterCommit: () => sequenced(db, done),
    };
  });
  return outcome;
}
