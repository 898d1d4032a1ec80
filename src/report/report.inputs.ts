import { Field, InputType, Int } from 'type-graphql';
import { ReportStatusEnum, ThreatCategoryEnum, type ReportStatus, type ThreatCategory } from '../graphql/enums';
import { GeoPointInput } from '../alert/alert.inputs';
import { IMONumberScalar, MMSIScalar, UNLocodeScalar } from '../graphql/scalars';

@InputType()
export class SubmitReportInput {
  @Field(() => UNLocodeScalar, { description: 'A port the reporting agency is registered at' }) port: string;
  @Field(() => ThreatCategoryEnum) category: ThreatCategory;
  @Field(() => Date) observedAt: Date;
  @Field() description: string;
  @Field(() => IMONumberScalar, { nullable: true }) imo?: string | null;
  @Field(() => MMSIScalar, { nullable: true }) mmsi?: string | null;
  @Field(() => String, { nullable: true }) vesselName?: string | null;
  @Field(() => GeoPointInput, { nullable: true }) location?: GeoPointInput | null;
  @Field(() => String, { nullable: true }) reporterContact?: string | null;
  @Field(() => Int, { nullable: true, description: 'The ISPS security level in force, 1 to 3' }) securityLevel?: number | null;
  @Field(() => String, { nullable: true }) actionsTaken?: string | null;
}

@InputType()
export class ReportFilter {
  @Field(() => [ReportStatusEnum], { nullable: true }) status?: ReportStatus[] | null;
  @Field(() => UNLocodeScalar, { nullable: true }) port?: string | null;
}
