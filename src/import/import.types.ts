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

export const ImportModeEnum = { MERGE: 'MERGE', REPLACE: 'REPLACE' } as const;
registerEnumType(ImportModeEnum, {
  name: 'ImportMode',
  valuesConfig: {
    MERGE: { description: 'Add new entries and update changed ones; nothing else changes' },
    REPLACE: {
      description:
        'As MERGE, and end (validUntil now, history kept) the entries of the list from the same feed that the file no longer contains. ' +
        'Refused, with nothing written, when a bad row names no entry or more than 5% of the rows are bad',
    },
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

@ObjectType({ description: 'An entry an import created, updated or ended' })
export class ImportedEntryRef {
  @Field({ description: "Its natural key in the list: OFAC:<ent_num>, the row's ref, or IMO:<number>" }) ref: string;
  @Field(() => String, { nullable: true }) imo: string | null;
  @Field(() => String, { nullable: true }) name: string | null;
}

@ObjectType({ description: 'The first 10 entries of each kind of change' })
export class ImportExamples {
  @Field(() => [ImportedEntryRef]) created: ImportedEntryRef[];
  @Field(() => [ImportedEntryRef]) updated: ImportedEntryRef[];
  @Field(() => [ImportedEntryRef]) ended: ImportedEntryRef[];
}

@ObjectType({ description: 'What an import did (a dry run: would do); rows = created + updated + unchanged + failed + skipped' })
export class ImportReport {
  @Field(() => Watchlist) watchlist: Watchlist;
  @Field(() => ImportModeEnum) mode: keyof typeof ImportModeEnum;
  @Field({ description: 'True: nothing was written; the counts say what the import would do' }) dryRun: boolean;
  @Field({ description: 'The feed the entries were written as; a replace ends only entries of this feed' }) feed: string;
  @Field(() => Int, { description: 'REPLACE: entries of the feed no longer in the file, ended (validUntil set, history kept)' })
  ended: number;
  @Field(() => ImportExamples) examples: ImportExamples;
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
