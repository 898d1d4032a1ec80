/** Every migration in order; new ones are appended here. */
import { Initial1764000000000 } from './1764000000000-Initial';
import { Screening1764000000100 } from './1764000000100-Screening';
import { Webhooks1764000000200 } from './1764000000200-Webhooks';
import { ReportWorkflow1764000000300 } from './1764000000300-ReportWorkflow';
import { AuditInbox1764000000400 } from './1764000000400-AuditInbox';
import { AlertOutbox1764000000500 } from './1764000000500-AlertOutbox';
import { AgencyRateBuckets1764000000600 } from './1764000000600-AgencyRateBuckets';
import { IdempotencyKeys1764000000700 } from './1764000000700-IdempotencyKeys';
import { VesselRegistry1764000000800 } from './1764000000800-VesselRegistry';
import { PrivateCounters1764000000900 } from './1764000000900-PrivateCounters';
import { AuditSubjectSeal1764000000950 } from './1764000000950-AuditSubjectSeal';
import { SightingEntryVersion1764000000960 } from './1764000000960-SightingEntryVersion';
import { Revocations1764000001000 } from './1764000001000-Revocations';
import { AuditTrailQueries1764000001100 } from './1764000001100-AuditTrailQueries';
import { AuditCheckpoints1764000001400 } from './1764000001400-AuditCheckpoints';
import { AuditAnomalies1764000001600 } from './1764000001600-AuditAnomalies';
import { WebhookEntryFeedback1764000001610 } from './1764000001610-WebhookEntryFeedback';
import { EntryFeedsAndParties1764000001800 } from './1764000001800-EntryFeedsAndParties';
import { AisTracks1764000001900 } from './1764000001900-AisTracks';
import { NameMatching1764000001700 } from './1764000001700-NameMatching';

export const MIGRATIONS = [
  Initial1764000000000,
  Screening1764000000100,
  Webhooks1764000000200,
  ReportWorkflow1764000000300,
  AuditInbox1764000000400,
  AlertOutbox1764000000500,
  AgencyRateBuckets1764000000600,
  IdempotencyKeys1764000000700,
  VesselRegistry1764000000800,
  PrivateCounters1764000000900,
  AuditSubjectSeal1764000000950,
  SightingEntryVersion1764000000960,
  Revocations1764000001000,
  AuditTrailQueries1764000001100,
  AuditCheckpoints1764000001400,
  AuditAnomalies1764000001600,
  WebhookEntryFeedback1764000001610,
  EntryFeedsAndParties1764000001800,
  AisTracks1764000001900,
  NameMatching1764000001700,
];
