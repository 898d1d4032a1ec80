/** A watchlist entry with every field the caller may see (`node(id)`). */
import { graphql } from '../gql';

export const WatchlistEntryDocument = graphql(`
  query WatchlistEntryDetail($id: ID!) {
    node(id: $id) {
      ... on WatchlistEntry {
        id
        tlp
        access {
          ...AccessFields
        }
        jurisdiction
        recipients
        category
        riskLevel
        reason
        source
        notes
        validFrom
        validUntil
        createdAt
        updatedAt
        ownerAgency {
          code
          name
        }
        vesselAsGiven {
          imo
          mmsi
          name
          flag
          callSign
          vesselType
          formerNames
        }
        vessel {
          imo
          mmsi
          name
          flag
          callSign
          vesselType
          formerNames
        }
        watchlist {
          id
          name
          tlp
          access {
            ...AccessFields
          }
        }
        sightings {
          id
          port
          observedAt
          outcome
          note
          reportedBy {
            code
            name
          }
        }
        falsePositiveCount
        history {
          version
          operation
          changedAt
          changedBy
          changedByAgency {
            name
          }
          changes {
            field
            from
            to
          }
        }
      }
    }
  }
`);
