import { ArgsType, Field, Int } from 'type-graphql';
import { MAX_PAGE_SIZE } from './connection';

@ArgsType()
export class PageArgsInput {
  @Field(() => Int, { nullable: true, description: `Page size, 0 to ${MAX_PAGE_SIZE} (default 50)` }) first?: number | null;
  @Field(() => String, { nullable: true, description: 'endCursor of the previous page' }) after?: string | null;
}

/** The longest idempotency key accepted (src/audit/write-once.ts checks keys). */
export const IDEMPOTENCY_KEY_MAX_LENGTH = 200;

export const IDEMPOTENCY_KEY_DESCRIPTION =
  "Optional. A retry with the same key and the same arguments answers the first call's result without a second write; " +
  `the same key with other arguments is a CONFLICT. Keys are scoped to your agency and this mutation, kept for good, and ` +
  `up to ${IDEMPOTENCY_KEY_MAX_LENGTH} visible ASCII characters (a UUID is a good key)`;
