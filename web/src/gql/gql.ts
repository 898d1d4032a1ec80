/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  fragment AccessFields on Access {\n    basis\n    agreementId\n    redactedFields\n  }\n": typeof types.AccessFieldsFragmentDoc,
    "\n  query WatchlistEntryDetail($id: ID!) {\n    node(id: $id) {\n      ... on WatchlistEntry {\n        id\n        tlp\n        access {\n          ...AccessFields\n        }\n        jurisdiction\n        recipients\n        category\n        riskLevel\n        reason\n        source\n        notes\n        validFrom\n        validUntil\n        createdAt\n        updatedAt\n        ownerAgency {\n          code\n          name\n        }\n        vesselAsGiven {\n          imo\n          mmsi\n          name\n          flag\n          callSign\n          vesselType\n          formerNames\n        }\n        vessel {\n          imo\n          mmsi\n          name\n          flag\n          callSign\n          vesselType\n          formerNames\n        }\n        watchlist {\n          id\n          name\n          tlp\n          access {\n            ...AccessFields\n          }\n        }\n        sightings {\n          id\n          port\n          observedAt\n          outcome\n          note\n          reportedBy {\n            code\n            name\n          }\n        }\n        falsePositiveCount\n        history {\n          version\n          operation\n          changedAt\n          changedBy\n          changedByAgency {\n            name\n          }\n          changes {\n            field\n            from\n            to\n          }\n        }\n      }\n    }\n  }\n": typeof types.WatchlistEntryDetailDocument,
    "\n  fragment ScreeningResultFields on ScreeningResult {\n    query {\n      imo\n      mmsi\n      name\n      flag\n      normalizedName\n    }\n    totalHits\n    warnings {\n      code\n      message\n    }\n    vessel {\n      imo\n      name\n      flag\n    }\n    hits {\n      matchedOn\n      score\n      matchedName\n      entry {\n        id\n        tlp\n        access {\n          ...AccessFields\n        }\n        category\n        riskLevel\n        vesselAsGiven {\n          imo\n          mmsi\n          name\n          flag\n        }\n        ownerAgency {\n          code\n          name\n        }\n      }\n    }\n  }\n": typeof types.ScreeningResultFieldsFragmentDoc,
    "\n  query ScreenVessel($imo: IMONumber, $mmsi: MMSI, $name: String, $flag: CountryCode) {\n    screenVessel(imo: $imo, mmsi: $mmsi, name: $name, flag: $flag) {\n      ...ScreeningResultFields\n    }\n  }\n": typeof types.ScreenVesselDocument,
    "\n  query ScreenVessels($vessels: [VesselQueryInput!]!) {\n    screenVessels(vessels: $vessels) {\n      ...ScreeningResultFields\n    }\n  }\n": typeof types.ScreenVesselsDocument,
    "\n  mutation ReportSighting($entryId: ID!, $input: SightingInput!, $idempotencyKey: String) {\n    reportSighting(entryId: $entryId, input: $input, idempotencyKey: $idempotencyKey) {\n      id\n      port\n      observedAt\n      outcome\n      note\n    }\n  }\n": typeof types.ReportSightingDocument,
    "\n  query Me {\n    me {\n      subject\n      roles\n      purpose\n      agency {\n        code\n        name\n        kind\n        country\n        ports\n      }\n    }\n  }\n": typeof types.MeDocument,
};
const documents: Documents = {
    "\n  fragment AccessFields on Access {\n    basis\n    agreementId\n    redactedFields\n  }\n": types.AccessFieldsFragmentDoc,
    "\n  query WatchlistEntryDetail($id: ID!) {\n    node(id: $id) {\n      ... on WatchlistEntry {\n        id\n        tlp\n        access {\n          ...AccessFields\n        }\n        jurisdiction\n        recipients\n        category\n        riskLevel\n        reason\n        source\n        notes\n        validFrom\n        validUntil\n        createdAt\n        updatedAt\n        ownerAgency {\n          code\n          name\n        }\n        vesselAsGiven {\n          imo\n          mmsi\n          name\n          flag\n          callSign\n          vesselType\n          formerNames\n        }\n        vessel {\n          imo\n          mmsi\n          name\n          flag\n          callSign\n          vesselType\n          formerNames\n        }\n        watchlist {\n          id\n          name\n          tlp\n          access {\n            ...AccessFields\n          }\n        }\n        sightings {\n          id\n          port\n          observedAt\n          outcome\n          note\n          reportedBy {\n            code\n            name\n          }\n        }\n        falsePositiveCount\n        history {\n          version\n          operation\n          changedAt\n          changedBy\n          changedByAgency {\n            name\n          }\n          changes {\n            field\n            from\n            to\n          }\n        }\n      }\n    }\n  }\n": types.WatchlistEntryDetailDocument,
    "\n  fragment ScreeningResultFields on ScreeningResult {\n    query {\n      imo\n      mmsi\n      name\n      flag\n      normalizedName\n    }\n    totalHits\n    warnings {\n      code\n      message\n    }\n    vessel {\n      imo\n      name\n      flag\n    }\n    hits {\n      matchedOn\n      score\n      matchedName\n      entry {\n        id\n        tlp\n        access {\n          ...AccessFields\n        }\n        category\n        riskLevel\n        vesselAsGiven {\n          imo\n          mmsi\n          name\n          flag\n        }\n        ownerAgency {\n          code\n          name\n        }\n      }\n    }\n  }\n": types.ScreeningResultFieldsFragmentDoc,
    "\n  query ScreenVessel($imo: IMONumber, $mmsi: MMSI, $name: String, $flag: CountryCode) {\n    screenVessel(imo: $imo, mmsi: $mmsi, name: $name, flag: $flag) {\n      ...ScreeningResultFields\n    }\n  }\n": types.ScreenVesselDocument,
    "\n  query ScreenVessels($vessels: [VesselQueryInput!]!) {\n    screenVessels(vessels: $vessels) {\n      ...ScreeningResultFields\n    }\n  }\n": types.ScreenVesselsDocument,
    "\n  mutation ReportSighting($entryId: ID!, $input: SightingInput!, $idempotencyKey: String) {\n    reportSighting(entryId: $entryId, input: $input, idempotencyKey: $idempotencyKey) {\n      id\n      port\n      observedAt\n      outcome\n      note\n    }\n  }\n": types.ReportSightingDocument,
    "\n  query Me {\n    me {\n      subject\n      roles\n      purpose\n      agency {\n        code\n        name\n        kind\n        country\n        ports\n      }\n    }\n  }\n": types.MeDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AccessFields on Access {\n    basis\n    agreementId\n    redactedFields\n  }\n"): (typeof documents)["\n  fragment AccessFields on Access {\n    basis\n    agreementId\n    redactedFields\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WatchlistEntryDetail($id: ID!) {\n    node(id: $id) {\n      ... on WatchlistEntry {\n        id\n        tlp\n        access {\n          ...AccessFields\n        }\n        jurisdiction\n        recipients\n        category\n        riskLevel\n        reason\n        source\n        notes\n        validFrom\n        validUntil\n        createdAt\n        updatedAt\n        ownerAgency {\n          code\n          name\n        }\n        vesselAsGiven {\n          imo\n          mmsi\n          name\n          flag\n          callSign\n          vesselType\n          formerNames\n        }\n        vessel {\n          imo\n          mmsi\n          name\n          flag\n          callSign\n          vesselType\n          formerNames\n        }\n        watchlist {\n          id\n          name\n          tlp\n          access {\n            ...AccessFields\n          }\n        }\n        sightings {\n          id\n          port\n          observedAt\n          outcome\n          note\n          reportedBy {\n            code\n            name\n          }\n        }\n        falsePositiveCount\n        history {\n          version\n          operation\n          changedAt\n          changedBy\n          changedByAgency {\n            name\n          }\n          changes {\n            field\n            from\n            to\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query WatchlistEntryDetail($id: ID!) {\n    node(id: $id) {\n      ... on WatchlistEntry {\n        id\n        tlp\n        access {\n          ...AccessFields\n        }\n        jurisdiction\n        recipients\n        category\n        riskLevel\n        reason\n        source\n        notes\n        validFrom\n        validUntil\n        createdAt\n        updatedAt\n        ownerAgency {\n          code\n          name\n        }\n        vesselAsGiven {\n          imo\n          mmsi\n          name\n          flag\n          callSign\n          vesselType\n          formerNames\n        }\n        vessel {\n          imo\n          mmsi\n          name\n          flag\n          callSign\n          vesselType\n          formerNames\n        }\n        watchlist {\n          id\n          name\n          tlp\n          access {\n            ...AccessFields\n          }\n        }\n        sightings {\n          id\n          port\n          observedAt\n          outcome\n          note\n          reportedBy {\n            code\n            name\n          }\n        }\n        falsePositiveCount\n        history {\n          version\n          operation\n          changedAt\n          changedBy\n          changedByAgency {\n            name\n          }\n          changes {\n            field\n            from\n            to\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ScreeningResultFields on ScreeningResult {\n    query {\n      imo\n      mmsi\n      name\n      flag\n      normalizedName\n    }\n    totalHits\n    warnings {\n      code\n      message\n    }\n    vessel {\n      imo\n      name\n      flag\n    }\n    hits {\n      matchedOn\n      score\n      matchedName\n      entry {\n        id\n        tlp\n        access {\n          ...AccessFields\n        }\n        category\n        riskLevel\n        vesselAsGiven {\n          imo\n          mmsi\n          name\n          flag\n        }\n        ownerAgency {\n          code\n          name\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  fragment ScreeningResultFields on ScreeningResult {\n    query {\n      imo\n      mmsi\n      name\n      flag\n      normalizedName\n    }\n    totalHits\n    warnings {\n      code\n      message\n    }\n    vessel {\n      imo\n      name\n      flag\n    }\n    hits {\n      matchedOn\n      score\n      matchedName\n      entry {\n        id\n        tlp\n        access {\n          ...AccessFields\n        }\n        category\n        riskLevel\n        vesselAsGiven {\n          imo\n          mmsi\n          name\n          flag\n        }\n        ownerAgency {\n          code\n          name\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ScreenVessel($imo: IMONumber, $mmsi: MMSI, $name: String, $flag: CountryCode) {\n    screenVessel(imo: $imo, mmsi: $mmsi, name: $name, flag: $flag) {\n      ...ScreeningResultFields\n    }\n  }\n"): (typeof documents)["\n  query ScreenVessel($imo: IMONumber, $mmsi: MMSI, $name: String, $flag: CountryCode) {\n    screenVessel(imo: $imo, mmsi: $mmsi, name: $name, flag: $flag) {\n      ...ScreeningResultFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ScreenVessels($vessels: [VesselQueryInput!]!) {\n    screenVessels(vessels: $vessels) {\n      ...ScreeningResultFields\n    }\n  }\n"): (typeof documents)["\n  query ScreenVessels($vessels: [VesselQueryInput!]!) {\n    screenVessels(vessels: $vessels) {\n      ...ScreeningResultFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ReportSighting($entryId: ID!, $input: SightingInput!, $idempotencyKey: String) {\n    reportSighting(entryId: $entryId, input: $input, idempotencyKey: $idempotencyKey) {\n      id\n      port\n      observedAt\n      outcome\n      note\n    }\n  }\n"): (typeof documents)["\n  mutation ReportSighting($entryId: ID!, $input: SightingInput!, $idempotencyKey: String) {\n    reportSighting(entryId: $entryId, input: $input, idempotencyKey: $idempotencyKey) {\n      id\n      port\n      observedAt\n      outcome\n      note\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Me {\n    me {\n      subject\n      roles\n      purpose\n      agency {\n        code\n        name\n        kind\n        country\n        ports\n      }\n    }\n  }\n"): (typeof documents)["\n  query Me {\n    me {\n      subject\n      roles\n      purpose\n      agency {\n        code\n        name\n        kind\n        country\n        ports\n      }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;