/**
 * The alert stream's position as clients see it (VesselAlert.sequence, AlertEvent.sequence and
 * `after`, a webhook's position, its deliveries' sequence and the Portcullis-Event-Sequence
 * header): an opaque token under the hub's stream key (src/common/opaque-position.ts; the key is
 * made by migration 1764000000900).
 */
import type { DataSource } from 'typeorm';
import { positionCodec, type PositionCodec } from '../common/opaque-position';

export const streamPositions = (db: DataSource): Promise<PositionCodec> => positionCodec(db, 'alert-stream-position');
