import { Node } from '../graphql/node';
import { Field, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { RiskLevelEnum, ThreatCategoryEnum, type RiskLevel, type ThreatCategory } from '../graphql/enums';
import { ShareableEntity } from '../shareable/shareable.entity';
import { VesselIdentity } from '../vessel/vessel.entity';
import { RelatedParty } from './related-party';

@ObjectType('WatchlistEntry', { implements: Node })
@Entity('watchlist_entries')
export class WatchlistEntry extends ShareableEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'watchlist_id', type: 'uuid' }) watchlistId: string;
  /** The registry's vessel with the given IMO number (Vessel.watchlistEntries). */
  @Column({ name: 'vessel_id', type: 'uuid' }) vesselId: string;
  @Field(() => VesselIdentity, { description: "The vessel as the entry's author gave it; the registry's record is `vessel`" })
  @Column({ name: 'vessel_as_given', type: 'jsonb' })
  vesselAsGiven: VesselIdentity;
  @Field(() => ThreatCategoryEnum) @Column({ type: 'text' }) category: ThreatCategory;
  @Field(() => RiskLevelEnum)
  @Column({ name: 'risk_level', type: 'enum', enumName: 'risk_level', enum: ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] })
  riskLevel: RiskLevel;
  @Field() @Column({ type: 'text' }) reason: string;
  @Field() @Column({ name: 'valid_from', type: 'timestamptz', precision: 3 }) validFrom: Date;
  @Field(() => Date, { nullable: true })
  @Column({ name: 'valid_until', type: 'timestamptz', precision: 3, nullable: true })
  validUntil: Date | null;
  /** sensitive */
  @Field(() => String, { nullable: true }) @Column({ type: 'text', nullable: true }) source: string | null;
  /** sensitive */
  @Field(() => String, { nullable: true }) @Column({ type: 'text', nullable: true }) notes: string | null;
  /** Natural key of an imported entry within its watchlist (OFAC entity number, row ref or IMO); null for entries added by hand. */
  @Column({ name: 'external_ref', type: 'text', nullable: true }) externalRef: string | null;
  /** The feed an imported entry came from (OFAC_SDN, FILE or --feed); a replace ends only its own feed's entries. Null for entries added by hand. */
  @Column({ type: 'text', nullable: true }) feed: string | null;
  /** sensitive: companies linked to the vessel (OFAC "Linked To", the vessel's owner) */
  @Field(() => [RelatedParty], {
    nullable: true,
    description: 'Companies linked to the vessel (owner, manager...), screenable with screenParty',
  })
  @Column({ name: 'related_parties', type: 'jsonb', default: () => "'[]'::jsonb" })
  relatedParties: RelatedParty[];
  @Field() @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 }) createdAt: Date;
  @Field() @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 }) updatedAt: Date;
}
