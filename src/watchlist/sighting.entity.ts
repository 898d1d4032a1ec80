import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { asEnum } from '../graphql/enums';
import { Node } from '../graphql/node';
import { UNLocodeScalar } from '../graphql/scalars';

const SIGHTING_OUTCOMES = ['CONFIRMED', 'FALSE_POSITIVE'] as const;
export type SightingOutcome = (typeof SIGHTING_OUTCOMES)[number];
export const SightingOutcomeEnum = asEnum(SIGHTING_OUTCOMES);
registerEnumType(SightingOutcomeEnum, {
  name: 'SightingOutcome',
  valuesConfig: {
    CONFIRMED: { description: 'The vessel was met and the entry applies to it' },
    FALSE_POSITIVE: { description: 'The hit was checked and the entry does not apply to this vessel' },
  },
});

/**
 * What an agency found when it checked a screening hit, told to the entry's owner. Seen only by
 * the owner of the entry and the reporting agency (policy engine: canReadSighting).
 */
@ObjectType('Sighting', { implements: Node })
@Entity('sightings')
export class Sighting {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'entry_id', type: 'uuid' }) entryId: string;
  /** The reporting agency's code. */
  @Column({ name: 'reported_by', type: 'text' }) reportedBy: string;
  @Column({ name: 'reported_by_subject', type: 'text', nullable: true }) reportedBySubject: string | null;
  /** The sighted entry's owner, kept here so visibility is an indexed predicate. */
  @Column({ name: 'entry_owner', type: 'text' }) entryOwner: string;
  /** The entry's version the reporter saw (null for sightings reported before it was kept). */
  @Column({ name: 'entry_version', type: 'int', nullable: true }) entryVersion: number | null;
  @Field(() => UNLocodeScalar, { nullable: true }) @Column({ type: 'char', length: 5, nullable: true }) port: string | null;
  @Field() @Column({ name: 'observed_at', type: 'timestamptz', precision: 3 }) observedAt: Date;
  @Field(() => SightingOutcomeEnum) @Column({ type: 'text' }) outcome: SightingOutcome;
  @Field(() => String, { nullable: true }) @Column({ type: 'text', nullable: true }) note: string | null;
  @Field() @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 }) createdAt: Date;
  /** FALSE_POSITIVE: the identifiers the reporter screened (SightingInput.screened), remembered for the next screening. */
  @Column({ name: 'screened_imo', type: 'text', nullable: true }) screenedImo: string | null;
  @Column({ name: 'screened_mmsi', type: 'text', nullable: true }) screenedMmsi: string | null;
  @Column({ name: 'screened_name', type: 'text', nullable: true }) screenedName: string | null;

  /** What live delivery shares a result by (src/alert/shared-delivery.ts). */
  get liveKey(): string {
    return `Sighting:${this.id}`;
  }
}
