import { Node } from '../graphql/node';
import { Directive, Field, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { CountryCodeScalar, IMONumberScalar, MMSIScalar } from '../graphql/scalars';

/** Reference data every authenticated principal reads; what hangs off it is filtered. */
@Directive('@key(fields: "imo")')
@ObjectType('Vessel', { implements: Node })
@Entity('vessels')
export class Vessel {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Field(() => IMONumberScalar) @Column({ type: 'char', length: 7, unique: true }) imo: string;
  @Field(() => MMSIScalar, { nullable: true }) @Column({ type: 'char', length: 9, nullable: true }) mmsi: string | null;
  @Field() @Column({ type: 'text' }) name: string;
  @Field(() => CountryCodeScalar, { nullable: true }) @Column({ type: 'char', length: 2, nullable: true }) flag: string | null;
  @Field(() => String, { nullable: true }) @Column({ name: 'call_sign', type: 'text', nullable: true }) callSign: string | null;
  @Field(() => String, { nullable: true }) @Column({ name: 'vessel_type', type: 'text', nullable: true }) vesselType: string | null;
  @Field(() => [String]) @Column({ name: 'former_names', type: 'text', array: true, default: () => "'{}'" }) formerNames: string[];
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 }) updatedAt: Date;
}
