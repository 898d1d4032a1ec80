/** The screening screen's operations: one result selection for one vessel and for a list. */
import { graphql } from '../gql';

/** @public graphql-codegen reads the fragment from this call; operations spread it by name. */
export const ScreeningResultFragment = graphql(`
  fragment ScreeningResultFields on ScreeningResult {
    query {
      imo
      mmsi
      name
      flag
      normalizedName
    }
    totalHits
    warnings {
      code
      message
    }
    vessel {
      imo
      name
      flag
    }
    hits {
      matchedOn
      score
      matchedName
      entry {
        id
        tlp
        access {
          ...AccessFields
        }
        category
        riskLevel
        vesselAsGiven {
          imo
          mmsi
          name
          flag
        }
        ownerAgency {
          code
          name
        }
      }
    }
  }
`);

export const ScreenVesselDocument = graphql(`
  query ScreenVessel($imo: IMONumber, $mmsi: MMSI, $name: String, $flag: CountryCode) {
    screenVessel(imo: $imo, mmsi: $mmsi, name: $name, flag: $flag) {
      ...ScreeningResultFields
    }
  }
`);

export const ScreenVesselsDocument = graphql(`
  query ScreenVessels($vessels: [VesselQueryInput!]!) {
    screenVessels(vessels: $vessels) {
      ...ScreeningResultFields
    }
  }
`);

export const ReportSightingDocument = graphql(`
  mutation ReportSighting($entryId: ID!, $input: SightingInput!, $idempotencyKey: String) {
    reportSighting(entryId: $entryId, input: $input, idempotencyKey: $idempotencyKey) {
      id
      port
      observedAt
      outcome
      note
    }
  }
`);
