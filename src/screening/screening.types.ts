import { Field, Float, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { asEnum } from '../graphql/enums';
import { CountryCodeScalar, IMONumberScalar, MMSIScalar } from '../graphql/scalars';
import { Vessel } from '../vessel/vessel.entity';
import { WatchlistEntry } from '../watchlist/watchlist-entry.entity';
import { NAME_ALGORITHM, TERM_MATCH_KINDS, type TermMatchKind } from './name-match';
import { WARNING_CODES, type WarningCode } from './warnings';

const WarningCodeEnum = asEnum(WARNING_CODES);
registerEnumType(WarningCodeEnum, { name: 'ScreeningWarningCode', description: 'Kinds of identity warning' });
const TermMatchKindEnum = asEnum(TERM_MATCH_KINDS);
registerEnumType(TermMatchKindEnum, {
  name: 'NameTermMatchKind',
  description: 'How a term of the screened name met one of the listed name: written together or apart, exactly, by sound, by edit distance',
});

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

@ObjectType({ description: 'Terms of the screened name and of the listed name that met (a joined word meets two terms)' })
export class NameTermMatch {
  @Field() screened: string;
  @Field() listed: string;
  @Field(() => TermMatchKindEnum) how: TermMatchKind;
}

@ObjectType({ description: `Why a name matched, by the result's algorithm (${NAME_ALGORITHM})` })
export class MatchExplanation {
  @Field(() => Float, {
    description: "Share of both names' letters that matched, weighted by how well (0 to 1); the hit's score is 0.9 (or 0.6) x this",
  })
  similarity: number;
  @Field(() => [NameTermMatch]) terms: NameTermMatch[];
  @Field(() => [String], {
    description: 'Numbers both names carry (Roman numerals read as numbers); names whose numbers differ never match',
  })
  numbersAgreed: string[];
  @Field(() => [String], { description: 'Terms of the screened name that met nothing' }) unmatchedScreened: string[];
  @Field(() => [String], { description: 'Terms of the listed name that met nothing' }) unmatchedListed: string[];
  @Field(() => [String], { description: "Identifiers screened that disagree with the entry's vessel (IMO), which lowers the score" })
  identifiersDisagreed: string[];
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
  @Field(() => MatchExplanation, { nullable: true, description: 'For NAME: why the name matched (null for IMO and MMSI hits)' })
  explanation: MatchExplanation | null;
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
    description:
      'The name as compared: any script transliterated to Latin, upper case, punctuation and a type prefix (MV, M/V, MT...) removed',
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
  @Field({ description: `The name matching algorithm and its version (${NAME_ALGORITHM}), to pin the version an agency validated` })
  algorithm: string;
}
