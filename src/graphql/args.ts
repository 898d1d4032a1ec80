import { ArgsType, Field, Int } from 'type-graphql';
import { MAX_PAGE_SIZE } from './connection';

@ArgsType()
export class PageArgsInput {
  @Field(() => Int, { nullable: true, description: `Page size, 0 to ${MAX_PAGE_SIZE} (default 50)` }) first?: number | null;
  @Field(() => String, { nullable: true, description: 'endCursor of the previous page' }) after?: string | null;
}
