import { Field, Float, InputType } from 'type-graphql';
import { RiskLevelEnum, ThreatCategoryEnum, TlpEnum, type RiskLevel, type ThreatCategory } from '../graphql/enums';
import { CountryCodeScalar, UNLocodeScalar } from '../graphql/scalars';
import type { Tlp } from '../policy/types';
import { VesselRefInput } from '../vessel/vessel.inputs';

@InputType()
export class GeoPointInput {
  @Field(() => Float) lat: number;
  @Field(() => Float) lon: number;
}

@InputType()
export class PublishAlertInput {
  @Field(() => VesselRefInput) vessel: VesselRefInput;
  @Field(() => ThreatCategoryEnum) category: ThreatCategory;
  @Field(() => RiskLevelEnum) severity: RiskLevel;
  @Field() title: string;
  @Field() description: string;
  @Field(() => UNLocodeScalar, { nullable: true }) port?: string | null;
  @Field(() => GeoPointInput, { nullable: true }) location?: GeoPointInput | null;
  @Field(() => TlpEnum) tlp: Tlp;
  @Field(() => CountryCodeScalar, { nullable: true, description: "Defaults to the port's country" }) jurisdiction?: string | null;
  @Field(() => [String], { nullable: true }) recipients?: string[] | null;
  @Field(() => Date, { nullable: true }) expiresAt?: Date | null;
  @Field(() => String, { nullable: true }) intelligenceSummary?: string | null;
}
