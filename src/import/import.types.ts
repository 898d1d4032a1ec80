import { Field, Float, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { RiskLevelEnum, ThreatCategoryEnum, type RiskLevel, type ThreatCategory } from '../graphql/enums';
import { Watchlist } from '../watchlist/watchlist.entity';

export const ImportFormatEnum = { CSV: 'CSV', JSON: 'JSON', OFAC_SDN: 'OFAC_SDN' } as const;
export type ImportFormatName = keyof typeof ImportFormatEnum;
registerEnumType(ImportFormatEnum, {
  name: 'ImportFormat',
  valuesConfig: {
    CSV: { description: "Portcullis' CSV layout: a header row naming the columns (README, Bulk import)" },
    JSON: { description: "A JSON array of entry objects, or JSON Lines, with the CSV layout's keys" },
    OFAC_SDN: { description: 'The US Treasury OFAC SDN sdn.csv layout; non-vessel rows are skipped and counted' },
  },
});

@InputType({ description: 'Values for rows that give none' })
export class ImportDefaultsInput {
  @Field(() => ThreatCategoryEnum, { nullable: true, description: 'Default SANCTIONS_EVASION for OFAC_SDN' })
  category?: ThreatCategory | null;
  @Field(() => RiskLevelEnum, { nullable: true, description: 'Default HIGH for OFAC_SDN' }) riskLevel?: RiskLevel | null;
  @Field(() => String, { nullable: true, description: 'OFAC_SDN: the source label, e.g. "OFAC SDN list, 2024-05-03"' })
  source?: string | null;
}

@ObjectType()
export class ImportRowError {
  @Field(() => Int, { description: 'Line of the file where the record starts' }) line: number;
  @Field() message: string;
}

@ObjectType({ description: 'What an import did; rows = created + updated + unchanged + failed + skipped' })
export class ImportReport {
  @Field(() => Watchlist) watchlist: Watchlist;
  @Field(() => Int, { description: 'Records read from the file (not counting a CSV header)' }) rows: number;
  @Field(() => Int) created: number;
  @Field(() => Int) updated: number;
  @Field(() => Int, { description: 'Rows whose entry was already exactly as the file says' }) unchanged: number;
  @Field(() => Int, { description: 'Bad rows, not loaded' }) failed: number;
  @Field(() => Int, { description: 'Rows out of scope of the format (OFAC: individuals, entities, aircraft)' }) skipped: number;
  @Field(() => Int, { description: 'Transactions committed' }) batches: number;
  @Field(() => [ImportRowError], { description: 'The bad rows by line (the first 1,000)' }) errors: ImportRowError[];
  @Field(() => Float) seconds: number;
}

export const RegistryFormatEnum = { CSV: 'CSV', JSON: 'JSON' } as const;
export type RegistryFormatName = keyof typeof RegistryFormatEnum;
registerEnumType(RegistryFormatEnum, {
  name: 'RegistryFormat',
  valuesConfig: {
    CSV: {
      description: 'A header row naming the columns imo, name, mmsi, flag, callSign, vesselType, formerNames (README, Vessel registry)',
    },
    JSON: { description: 'A JSON array of vessel objects, or JSON Lines, with the same keys' },
  },
});

@ObjectType({ description: 'What a registry import did; rows = created + updated + unchanged + failed' })
export class RegistryImportReport {
  @Field(() => Int, { description: 'Records read from the file (not counting a CSV header)' }) rows: number;
  @Field(() => Int, { description: 'Vessels the registry did not know' }) created: number;
  @Field(() => Int, { description: 'Vessels with at least one value changed' }) updated: number;
  @Field(() => Int, { description: 'Vessels already exactly as the file says' }) unchanged: number;
  @Field(() => Int, { description: 'Bad rows, not loaded' }) failed: number;
  @Field(() => Int, { description: 'Transactions committed' }) batches: number;
  @Field(() => [ImportRowError], { description: 'The bad rows by line (the first 1,000)' }) errors: ImportRowError[];
  @Field(() => Float) seconds: number;
}
