import { Field, Float, InputType } from 'type-graphql';
import {
  AlertStatusEnum, RiskLevelEnum, ThreatCategoryEnum, TlpEnum, type AlertStatus, type RiskLevel, type ThreatCategory,
} from '../graphql/enums';
import { CountryCodeScalar, IMONumberScalar, UNLocodeScalar } from '../graphql/scalars';
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

@InputType()
export class AlertFilter {
  @Field(() => [UNLocodeScalar], { nullable: true }) ports?: string[] | null;
  @Field(() => [CountryCodeScalar], { nullable: true }) jurisdictions?: string[] | null;
  @Field(() => [ThreatCategoryEnum], { nullable: true }) categories?: ThreatCategory[] | null;
  @Field(() => RiskLevelEnum, { nullable: true }) minSeverity?: RiskLevel | null;
  @Field(() => IMONumberScalar, { nullable: true }) imo?: string | null;
  @Field(() => [AlertStatusEnum], { nullable: true }) status?: AlertStatus[] | null;
}
