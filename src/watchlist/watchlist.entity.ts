import { Node } from '../graphql/node';
import { Field, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { ShareableEntity } from '../shareable/shareable.entity';

@ObjectType('Watchlist', { implements: Node })
@Entity('watchlists')
export class Watchlist extends ShareableEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Field() @Column({ type: 'text' }) name: string;
  @Field(() => String, { nullable: true }) @Column({ type: 'text', nullable: true }) description: string | null;
  @Field() @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 }) createdAt: Date;
  @Field() @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 }) updatedAt: Date;
}
