/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** Why the caller sees a record (first matching rule of the access model) */
export type AccessBasis =
  | 'AGREEMENT'
  | 'COMMUNITY'
  | 'JURISDICTION'
  | 'OWNER'
  | 'PUBLIC'
  | 'RECIPIENT'
  /** Seen only through another record (the list of an entry the caller sees, or an entry as it stood when the caller reported a sighting on it): core fields only */
  | 'REFERENCED';

export type AgencyKind =
  | 'BORDER_POLICE'
  | 'COAST_GUARD'
  | 'CUSTOMS'
  | 'PORT_AUTHORITY'
  | 'PRIVATE_OPERATOR';

export type RiskLevel =
  | 'CRITICAL'
  | 'HIGH'
  | 'LOW'
  | 'MEDIUM';

/** Kinds of identity warning */
export type ScreeningWarningCode =
  | 'FLAG_DIFFERS_FROM_REGISTRY'
  | 'FORMER_NAME'
  | 'MMSI_DIFFERS_FROM_REGISTRY'
  | 'MMSI_FLAG_MISMATCH'
  | 'MMSI_MID_UNALLOCATED'
  | 'MMSI_NOT_SHIP_STATION'
  | 'MMSI_OF_OTHER_VESSEL'
  | 'NAME_DIFFERS_FROM_REGISTRY'
  | 'PLACEHOLDER_MMSI';

export type SightingInput = {
  /** What was found; required for FALSE_POSITIVE */
  note?: string | null | undefined;
  /** When the vessel was met; not in the future */
  observedAt: string;
  outcome: SightingOutcome;
  /** Where the vessel was met; omit at sea */
  port?: string | null | undefined;
};

export type SightingOutcome =
  /** The vessel was met and the entry applies to it */
  | 'CONFIRMED'
  /** The hit was checked and the entry does not apply to this vessel */
  | 'FALSE_POSITIVE';

export type ThreatCategory =
  | 'AIS_MANIPULATION'
  | 'CUSTOMS_VIOLATION'
  | 'CYBER'
  | 'DRUG_TRAFFICKING'
  | 'HUMAN_TRAFFICKING'
  | 'IDENTITY_FRAUD'
  | 'ILLEGAL_FISHING'
  | 'IRREGULAR_MIGRATION'
  | 'OTHER'
  | 'PIRACY'
  | 'POLLUTION'
  | 'SANCTIONS_EVASION'
  | 'SECURITY_BREACH'
  | 'SHIP_TO_SHIP_TRANSFER'
  | 'SMUGGLING'
  | 'SURVEILLANCE'
  | 'TERRORISM'
  | 'THEFT'
  | 'UNAUTHORIZED_ACCESS'
  | 'WEAPONS_TRAFFICKING';

/** Traffic Light Protocol 2.0 marking */
export type Tlp =
  | 'AMBER'
  | 'AMBER_STRICT'
  | 'CLEAR'
  | 'GREEN'
  | 'RED';

/** A vessel to screen: any of IMO number, MMSI and name (at least one), optionally its flag */
export type VesselQueryInput = {
  /** The flag the vessel announced, checked against its MMSI and the registry */
  flag?: string | null | undefined;
  imo?: string | null | undefined;
  mmsi?: string | null | undefined;
  name?: string | null | undefined;
};

export type AccessFieldsFragment = { basis: AccessBasis, agreementId: string | null, redactedFields: Array<string> };

export type WatchlistEntryDetailQueryVariables = Exact<{
  id: string | number;
}>;


export type WatchlistEntryDetailQuery = { node:
    | { id: string, tlp: Tlp, jurisdiction: string, recipients: Array<string>, category: ThreatCategory, riskLevel: RiskLevel, reason: string, source: string | null, notes: string | null, validFrom: string, validUntil: string | null, createdAt: string, updatedAt: string, falsePositiveCount: number | null, access: { basis: AccessBasis, agreementId: string | null, redactedFields: Array<string> }, ownerAgency: { code: string, name: string }, vesselAsGiven: { imo: string, mmsi: string | null, name: string, flag: string | null, callSign: string | null, vesselType: string | null, formerNames: Array<string> }, vessel: { imo: string, mmsi: string | null, name: string | null, flag: string | null, callSign: string | null, vesselType: string | null, formerNames: Array<string> }, watchlist: { id: string, name: string, tlp: Tlp, access: { basis: AccessBasis, agreementId: string | null, redactedFields: Array<string> } }, sightings: Array<{ id: string, port: string | null, observedAt: string, outcome: SightingOutcome, note: string | null, reportedBy: { code: string, name: string } }>, history: Array<{ version: number, operation: string, changedAt: string, changedBy: string, changedByAgency: { name: string } | null, changes: Array<{ field: string, from: string | null, to: string | null }> }> | null }
    | Record<PropertyKey, never>
   | null };

export type ScreeningResultFieldsFragment = { totalHits: number, query: { imo: string | null, mmsi: string | null, name: string | null, flag: string | null, normalizedName: string | null }, warnings: Array<{ code: ScreeningWarningCode, message: string }>, vessel: { imo: string, name: string | null, flag: string | null } | null, hits: Array<{ matchedOn: string, score: number, matchedName: string | null, entry: { id: string, tlp: Tlp, category: ThreatCategory, riskLevel: RiskLevel, access: { basis: AccessBasis, agreementId: string | null, redactedFields: Array<string> }, vesselAsGiven: { imo: string, mmsi: string | null, name: string, flag: string | null }, ownerAgency: { code: string, name: string } } }> };

export type ScreenVesselQueryVariables = Exact<{
  imo?: string | null | undefined;
  mmsi?: string | null | undefined;
  name?: string | null | undefined;
  flag?: string | null | undefined;
}>;


export type ScreenVesselQuery = { screenVessel: { totalHits: number, query: { imo: string | null, mmsi: string | null, name: string | null, flag: string | null, normalizedName: string | null }, warnings: Array<{ code: ScreeningWarningCode, message: string }>, vessel: { imo: string, name: string | null, flag: string | null } | null, hits: Array<{ matchedOn: string, score: number, matchedName: string | null, entry: { id: string, tlp: Tlp, category: ThreatCategory, riskLevel: RiskLevel, access: { basis: AccessBasis, agreementId: string | null, redactedFields: Array<string> }, vesselAsGiven: { imo: string, mmsi: string | null, name: string, flag: string | null }, ownerAgency: { code: string, name: string } } }> } };

export type ScreenVesselsQueryVariables = Exact<{
  vessels: Array<VesselQueryInput> | VesselQueryInput;
}>;


export type ScreenVesselsQuery = { screenVessels: Array<{ totalHits: number, query: { imo: string | null, mmsi: string | null, name: string | null, flag: string | null, normalizedName: string | null }, warnings: Array<{ code: ScreeningWarningCode, message: string }>, vessel: { imo: string, name: string | null, flag: string | null } | null, hits: Array<{ matchedOn: string, score: number, matchedName: string | null, entry: { id: string, tlp: Tlp, category: ThreatCategory, riskLevel: RiskLevel, access: { basis: AccessBasis, agreementId: string | null, redactedFields: Array<string> }, vesselAsGiven: { imo: string, mmsi: string | null, name: string, flag: string | null }, ownerAgency: { code: string, name: string } } }> }> };

export type ReportSightingMutationVariables = Exact<{
  entryId: string | number;
  input: SightingInput;
  idempotencyKey?: string | null | undefined;
}>;


export type ReportSightingMutation = { reportSighting: { id: string, port: string | null, observedAt: string, outcome: SightingOutcome, note: string | null } };

export type MeQueryVariables = Exact<{ [key: string]: never; }>;


export type MeQuery = { me: { subject: string, roles: Array<string>, purpose: string | null, agency: { code: string, name: string, kind: AgencyKind, country: string, ports: Array<string> } } };

export const AccessFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"AccessFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Access"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"basis"}},{"kind":"Field","name":{"kind":"Name","value":"agreementId"}},{"kind":"Field","name":{"kind":"Name","value":"redactedFields"}}]}}]} as unknown as DocumentNode<AccessFieldsFragment, unknown>;
export const ScreeningResultFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ScreeningResultFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ScreeningResult"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"query"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"imo"}},{"kind":"Field","name":{"kind":"Name","value":"mmsi"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"flag"}},{"kind":"Field","name":{"kind":"Name","value":"normalizedName"}}]}},{"kind":"Field","name":{"kind":"Name","value":"totalHits"}},{"kind":"Field","name":{"kind":"Name","value":"warnings"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"Field","name":{"kind":"Name","value":"vessel"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"imo"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"flag"}}]}},{"kind":"Field","name":{"kind":"Name","value":"hits"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"matchedOn"}},{"kind":"Field","name":{"kind":"Name","value":"score"}},{"kind":"Field","name":{"kind":"Name","value":"matchedName"}},{"kind":"Field","name":{"kind":"Name","value":"entry"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"tlp"}},{"kind":"Field","name":{"kind":"Name","value":"access"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"AccessFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"category"}},{"kind":"Field","name":{"kind":"Name","value":"riskLevel"}},{"kind":"Field","name":{"kind":"Name","value":"vesselAsGiven"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"imo"}},{"kind":"Field","name":{"kind":"Name","value":"mmsi"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"flag"}}]}},{"kind":"Field","name":{"kind":"Name","value":"ownerAgency"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"AccessFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Access"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"basis"}},{"kind":"Field","name":{"kind":"Name","value":"agreementId"}},{"kind":"Field","name":{"kind":"Name","value":"redactedFields"}}]}}]} as unknown as DocumentNode<ScreeningResultFieldsFragment, unknown>;
export const WatchlistEntryDetailDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"WatchlistEntryDetail"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"WatchlistEntry"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"tlp"}},{"kind":"Field","name":{"kind":"Name","value":"access"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"AccessFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"jurisdiction"}},{"kind":"Field","name":{"kind":"Name","value":"recipients"}},{"kind":"Field","name":{"kind":"Name","value":"category"}},{"kind":"Field","name":{"kind":"Name","value":"riskLevel"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"source"}},{"kind":"Field","name":{"kind":"Name","value":"notes"}},{"kind":"Field","name":{"kind":"Name","value":"validFrom"}},{"kind":"Field","name":{"kind":"Name","value":"validUntil"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"ownerAgency"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"vesselAsGiven"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"imo"}},{"kind":"Field","name":{"kind":"Name","value":"mmsi"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"flag"}},{"kind":"Field","name":{"kind":"Name","value":"callSign"}},{"kind":"Field","name":{"kind":"Name","value":"vesselType"}},{"kind":"Field","name":{"kind":"Name","value":"formerNames"}}]}},{"kind":"Field","name":{"kind":"Name","value":"vessel"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"imo"}},{"kind":"Field","name":{"kind":"Name","value":"mmsi"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"flag"}},{"kind":"Field","name":{"kind":"Name","value":"callSign"}},{"kind":"Field","name":{"kind":"Name","value":"vesselType"}},{"kind":"Field","name":{"kind":"Name","value":"formerNames"}}]}},{"kind":"Field","name":{"kind":"Name","value":"watchlist"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"tlp"}},{"kind":"Field","name":{"kind":"Name","value":"access"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"AccessFields"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"sightings"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"port"}},{"kind":"Field","name":{"kind":"Name","value":"observedAt"}},{"kind":"Field","name":{"kind":"Name","value":"outcome"}},{"kind":"Field","name":{"kind":"Name","value":"note"}},{"kind":"Field","name":{"kind":"Name","value":"reportedBy"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"falsePositiveCount"}},{"kind":"Field","name":{"kind":"Name","value":"history"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"operation"}},{"kind":"Field","name":{"kind":"Name","value":"changedAt"}},{"kind":"Field","name":{"kind":"Name","value":"changedBy"}},{"kind":"Field","name":{"kind":"Name","value":"changedByAgency"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"changes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"from"}},{"kind":"Field","name":{"kind":"Name","value":"to"}}]}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"AccessFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Access"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"basis"}},{"kind":"Field","name":{"kind":"Name","value":"agreementId"}},{"kind":"Field","name":{"kind":"Name","value":"redactedFields"}}]}}]} as unknown as DocumentNode<WatchlistEntryDetailQuery, WatchlistEntryDetailQueryVariables>;
export const ScreenVesselDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ScreenVessel"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"imo"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"IMONumber"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"mmsi"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"MMSI"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"name"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"flag"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"CountryCode"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"screenVessel"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"imo"},"value":{"kind":"Variable","name":{"kind":"Name","value":"imo"}}},{"kind":"Argument","name":{"kind":"Name","value":"mmsi"},"value":{"kind":"Variable","name":{"kind":"Name","value":"mmsi"}}},{"kind":"Argument","name":{"kind":"Name","value":"name"},"value":{"kind":"Variable","name":{"kind":"Name","value":"name"}}},{"kind":"Argument","name":{"kind":"Name","value":"flag"},"value":{"kind":"Variable","name":{"kind":"Name","value":"flag"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ScreeningResultFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"AccessFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Access"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"basis"}},{"kind":"Field","name":{"kind":"Name","value":"agreementId"}},{"kind":"Field","name":{"kind":"Name","value":"redactedFields"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ScreeningResultFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ScreeningResult"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"query"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"imo"}},{"kind":"Field","name":{"kind":"Name","value":"mmsi"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"flag"}},{"kind":"Field","name":{"kind":"Name","value":"normalizedName"}}]}},{"kind":"Field","name":{"kind":"Name","value":"totalHits"}},{"kind":"Field","name":{"kind":"Name","value":"warnings"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"Field","name":{"kind":"Name","value":"vessel"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"imo"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"flag"}}]}},{"kind":"Field","name":{"kind":"Name","value":"hits"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"matchedOn"}},{"kind":"Field","name":{"kind":"Name","value":"score"}},{"kind":"Field","name":{"kind":"Name","value":"matchedName"}},{"kind":"Field","name":{"kind":"Name","value":"entry"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"tlp"}},{"kind":"Field","name":{"kind":"Name","value":"access"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"AccessFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"category"}},{"kind":"Field","name":{"kind":"Name","value":"riskLevel"}},{"kind":"Field","name":{"kind":"Name","value":"vesselAsGiven"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"imo"}},{"kind":"Field","name":{"kind":"Name","value":"mmsi"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"flag"}}]}},{"kind":"Field","name":{"kind":"Name","value":"ownerAgency"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]}}]} as unknown as DocumentNode<ScreenVesselQuery, ScreenVesselQueryVariables>;
export const ScreenVesselsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ScreenVessels"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"vessels"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"VesselQueryInput"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"screenVessels"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"vessels"},"value":{"kind":"Variable","name":{"kind":"Name","value":"vessels"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ScreeningResultFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"AccessFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Access"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"basis"}},{"kind":"Field","name":{"kind":"Name","value":"agreementId"}},{"kind":"Field","name":{"kind":"Name","value":"redactedFields"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ScreeningResultFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ScreeningResult"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"query"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"imo"}},{"kind":"Field","name":{"kind":"Name","value":"mmsi"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"flag"}},{"kind":"Field","name":{"kind":"Name","value":"normalizedName"}}]}},{"kind":"Field","name":{"kind":"Name","value":"totalHits"}},{"kind":"Field","name":{"kind":"Name","value":"warnings"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"Field","name":{"kind":"Name","value":"vessel"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"imo"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"flag"}}]}},{"kind":"Field","name":{"kind":"Name","value":"hits"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"matchedOn"}},{"kind":"Field","name":{"kind":"Name","value":"score"}},{"kind":"Field","name":{"kind":"Name","value":"matchedName"}},{"kind":"Field","name":{"kind":"Name","value":"entry"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"tlp"}},{"kind":"Field","name":{"kind":"Name","value":"access"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"AccessFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"category"}},{"kind":"Field","name":{"kind":"Name","value":"riskLevel"}},{"kind":"Field","name":{"kind":"Name","value":"vesselAsGiven"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"imo"}},{"kind":"Field","name":{"kind":"Name","value":"mmsi"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"flag"}}]}},{"kind":"Field","name":{"kind":"Name","value":"ownerAgency"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]}}]} as unknown as DocumentNode<ScreenVesselsQuery, ScreenVesselsQueryVariables>;
export const ReportSightingDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ReportSighting"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"entryId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"SightingInput"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"idempotencyKey"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"reportSighting"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"entryId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"entryId"}}},{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}},{"kind":"Argument","name":{"kind":"Name","value":"idempotencyKey"},"value":{"kind":"Variable","name":{"kind":"Name","value":"idempotencyKey"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"port"}},{"kind":"Field","name":{"kind":"Name","value":"observedAt"}},{"kind":"Field","name":{"kind":"Name","value":"outcome"}},{"kind":"Field","name":{"kind":"Name","value":"note"}}]}}]}}]} as unknown as DocumentNode<ReportSightingMutation, ReportSightingMutationVariables>;
export const MeDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Me"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"me"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"subject"}},{"kind":"Field","name":{"kind":"Name","value":"roles"}},{"kind":"Field","name":{"kind":"Name","value":"purpose"}},{"kind":"Field","name":{"kind":"Name","value":"agency"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"country"}},{"kind":"Field","name":{"kind":"Name","value":"ports"}}]}}]}}]}}]} as unknown as DocumentNode<MeQuery, MeQueryVariables>;