import { Field, ID, InputType } from 'type-graphql';
import { RiskLevelEnum, ThreatCategoryEnum, TlpEnum, type RiskLevel, type ThreatCategory } from '../graphql/enums';
import { CountryCodeScalar, IMONumberScalar, MMSIScalar } from '../graphql/scalars';
import type { Tlp } from '../policy/types';
import { VesselRefInput } from '../vessel/vessel.inputs';

@InputType()
export class CreateWatchlistInput {
  @Field() name: string;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => TlpEnum) tlp: Tlp;
  @Field(() => CountryCodeScalar) jurisdiction: string;
  @Field(() => [String], { nullable: true, description: 'Agency codes that see the list whatever its TLP' })
  recipients?: string[] | null;
}

@InputType()
export class AddWatchlistEntryInput {
  @Field(() => ID) watchlistId: string;
  @Field(() => VesselRefInput) vessel: VesselRefInput;
  @Field(() => ThreatCategoryEnum) category: ThreatCategory;
  @Field(() => RiskLevelEnum) riskLevel: RiskLevel;
  @Field() reason: string;
  @Field(() => TlpEnum, { nullable: true, description: "Defaults to the watchlist's; never looser than it" }) tlp?: Tlp | null;
  @Field(() => CountryCodeScalar, { nullable: true }) jurisdiction?: string | null;
  @Field(() => [String], { nullable: true }) recipients?: string[] | null;
  @Field(() => Date, { nullable: true }) validFrom?: Date | null;
  @Field(() => Date, { nullable: true }) validUntil?: Date | null;
  @Field(() => String, { nullable: true }) source?: string | null;
  @Field(() => String, { nullable: true }) notes?: string | null;
}

@InputType()
export class UpdateWatchlistEntryInput {
  @Field(() => ThreatCategoryEnum, { nullable: true }) category?: ThreatCategory | null;
  @Field(() => RiskLevelEnum, { nullable: true }) riskLevel?: RiskLevel | null;
  @Field(() => String, { nullable: true }) reason?: string | null;
  @Field(() => TlpEnum, { nullable: true }) tlp?: Tlp | null;
  @Field(() => [String], { nullable: true }) recipients?: string[] | null;
  @Field(() => Date, { nullable: true }) validUntil?: Date | null;
  @Field(() => String, { nullable: true }) source?: string | null;
  @Field(() => String, { nullable: true }) notes?: string | null;
}

@InputType()
export class WatchlistEntryFilter {
  @Field(() => ID, { nullable: true }) watchlistId?: string | null;
  @Field(() => IMONumberScalar, { nullable: true }) imo?: string | null;
  @Field(() => MMSIScalar, { nullable: true }) mmsi?: string | null;
  @Field(() => [ThreatCategoryEnum], { nullable: true }) categories?: ThreatCategory[] | null;
  @Field(() => RiskLevelEnum, { nullable: true }) minRiskLevel?: RiskLevel | null;
  @Field(() => CountryCodeScalar, { nullable: true }) jurisdiction?: string | null;
  @Field(() => [TlpEnum], { nullable: true }) tlp?: Tlp[] | null;
  @Field(() => Boolean, { nullable: true, description: 'Only entries in force now' }) activeOnly?: boolean | null;
}
