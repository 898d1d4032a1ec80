import { Field, ID, InputType } from 'type-graphql';
import { IMONumberScalar, MMSIScalar, UNLocodeScalar } from '../graphql/scalars';
import { SightingOutcomeEnum, type SightingOutcome } from './sighting.entity';

@InputType({ description: 'The identifiers that were screened when the hit came up, as given to screenVessel' })
export class ScreenedIdentityInput {
  @Field(() => IMONumberScalar, { nullable: true }) imo?: string | null;
  @Field(() => MMSIScalar, { nullable: true }) mmsi?: string | null;
  @Field(() => String, { nullable: true }) name?: string | null;
}

@InputType()
export class SightingInput {
  @Field(() => UNLocodeScalar, { nullable: true, description: 'Where the vessel was met; omit at sea' }) port?: string | null;
  @Field({ description: 'When the vessel was met; not in the future' }) observedAt: Date;
  @Field(() => SightingOutcomeEnum) outcome: SightingOutcome;
  @Field(() => String, { nullable: true, description: 'What was found; required for FALSE_POSITIVE' }) note?: string | null;
  @Field(() => ScreenedIdentityInput, {
    nullable: true,
    description:
      'FALSE_POSITIVE: the identifiers screened. Remembered with the entry, so the next screening of the same identity marks the hit falsePositiveReported',
  })
  screened?: ScreenedIdentityInput | null;
}

@InputType()
export class SightingFilter {
  @Field(() => ID, { nullable: true }) entryId?: string | null;
  @Field(() => SightingOutcomeEnum, { nullable: true }) outcome?: SightingOutcome | null;
  @Field(() => Boolean, { nullable: true, description: 'true: only those the caller reported; false: only those about its own entries' })
  reportedByMe?: boolean | null;
}
