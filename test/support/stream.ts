/** The alert stream's positions behind the opaque tokens clients see (src/alert/stream-position.ts), for tests that check order. */
import { streamPositions } from '../../src/alert/stream-position';
import { positionCodec } from '../../src/common/opaque-position';
import type { TestHub } from './hub';

/** The stream position a `sequence` token stands for. */
export const positionOf = async (hub: TestHub, token: string): Promise<bigint> =>
  (await streamPositions(hub.database.db)).decode(token, 'sequence');

/** The token a client would be given for stream position `position`. */
export const tokenOf = async (hub: TestHub, position: bigint | string): Promise<string> =>
  (await streamPositions(hub.database.db)).encode(position);

/** The audit chain's sequence an AuditEvent's `sequence` token stands for. */
export const auditPositionOf = async (hub: TestHub, token: string): Promise<bigint> =>
  (await positionCodec(hub.database.db, 'audit-sequence')).decode(token, 'sequence');
