import { Field, Float, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { asEnum } from '../graphql/enums';
import { CountryCodeScalar, IMONumberScalar, MMSIScalar } from '../graphql/scalars';
import { Vessel } from '../vessel/vessel.entity';
import { WatchlistEntry } from '../watchlist/watchlist-entry.entity';
import { WARNING_CODES, type WarningCode } from './warnings';

const WarningCodeEnum = asEnum(WARNING_CODES);
registerEnumType(WarningCodeEnum, { name: 'ScreeningWarningCode', description: 'Kinds of identity warning' });

@InputType({ description: 'A vessel to screen: any of IMO number, MMSI and name (at least one), optionally its flag' })
export class VesselQueryInput {
  @Field(() => IMONumberScalar, { nullable: true }) imo?: string | null;
  @Field(() => MMSIScalar, { nullable: true }) mmsi?: string | null;
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => CountryCodeScalar, {
    nullable: true,
    description: 'The flag the vessel announced, checked against its MMSI and the registry',
  })
  flag?: string | null;
}

@ObjectType({ description: 'A watchlist entry the caller may see that matches the screened vessel' })
export class ScreeningHit {
  @Field(() => WatchlistEntry) entry: WatchlistEntry;
  @Field({ description: 'IMO, MMSI or NAME: the strongest identifier that matched' }) matchedOn: string;
  @Field(() => Float, {
    description:
      "From 0 to 1, best first: IMO 1.0, MMSI 0.95, NAME 0.9 x name similarity (0.6 x when the entry's vessel has another IMO than the one screened)",
  })
  score: number;
  @Field(() => String, { nullable: true, description: "For NAME: the current or former name of the entry's vessel that matched" })
  matchedName: string | null;
  /** The identifiers screened, for falsePositiveReported (./false-positive-memory.ts). */
  screened?: ScreeningQuery;
}

@ObjectType()
export class ScreeningWarning {
  @Field(() => WarningCodeEnum) code: WarningCode;
  @Field() message: string;
}

@ObjectType({ description: 'What was screened, as the hub read it' })
export class ScreeningQuery {
  @Field(() => IMONumberScalar, { nullable: true }) imo: string | null;
  @Field(() => MMSIScalar, { nullable: true }) mmsi: string | null;
  @Field(() => String, { nullable: true }) name: string | null;
  @Field(() => CountryCodeScalar, { nullable: true }) flag: string | null;
  @Field(() => String, {
    nullable: true,
    description: 'The name as compared: accents transliterated, upper case, punctuation and a type prefix (MV, M/V, MT...) removed',
  })
  normalizedName: string | null;
}

@ObjectType()
export class ScreeningResult {
  @Field(() => ScreeningQuery) query: ScreeningQuery;
  @Field(() => [ScreeningHit], { description: 'Entries in force now that the caller may see, best first (at most maxHits)' })
  hits: ScreeningHit[];
  @Field(() => Int, { description: 'All hits the caller may see, also those beyond maxHits' }) totalHits: number;
  @Field(() => [ScreeningWarning], { description: 'Identity warnings about the identifiers screened, hit or no hit' })
  warnings: ScreeningWarning[];
  @Field(() => Vessel, { nullable: true, description: "The registry's record for the IMO screened (or the only vessel with the MMSI)" })
  vessel: Vessel | null;
  @Field() screenedAt: Date;
}
