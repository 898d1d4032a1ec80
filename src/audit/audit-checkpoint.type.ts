import { Field, ObjectType } from 'type-graphql';
import type { AuditCheckpoint } from './audit-checkpoint';

@ObjectType('AuditCheckpoint', {
  description:
    "The audit chain's head as the hub signed it: keep it outside the hub (as a file) and check the chain against it with `npm run audit:verify -- --checkpoint FILE`",
})
export class AuditCheckpointType implements AuditCheckpoint {
  @Field({ description: "The head's place on the chain" }) sequence: string;
  @Field({ description: "The head's hash (hex)" }) hash: string;
  @Field({ description: 'When the hub signed it (ISO 8601, exactly as signed)' }) signedAt: string;
  @Field({ description: "First 16 hex digits of the SHA-256 of the hub's public key (SPKI, DER)" }) keyId: string;
  @Field({ description: "The hub's Ed25519 public key (SPKI PEM)" }) publicKey: string;
  @Field({ description: 'Ed25519 signature (base64) of "portcullis-audit-checkpoint/v1\\n<sequence>\\n<hash>\\n<signedAt>"' })
  signature: string;
}
