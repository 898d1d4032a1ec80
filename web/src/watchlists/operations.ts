/** The GraphQL operations of the watchlist screens. */
import { graphql } from '../gql';

export const WatchlistListDocument = graphql(`
  query WatchlistList($first: Int, $after: String) {
    watchlists(first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          name
          description
          jurisdiction
          tlp
          access {
            ...AccessFields
          }
          ownerAgency {
            code
            name
          }
          entries(first: 0) {
            totalCount
          }
        }
      }
    }
  }
`);

export const WatchlistHeadDocument = graphql(`
  query WatchlistHead($id: ID!) {
    watchlist(id: $id) {
      id
      name
      description
      jurisdiction
      recipients
      tlp
      createdAt
      access {
        ...AccessFields
      }
      ownerAgency {
        code
        name
      }
    }
  }
`);

export const WatchlistEntrySearchDocument = graphql(`
  query WatchlistEntrySearch($first: Int, $after: String, $filter: WatchlistEntryFilter) {
    watchlistEntries(first: $first, after: $after, filter: $filter) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          category
          riskLevel
          jurisdiction
          validFrom
          validUntil
          tlp
          access {
            ...AccessFields
          }
          vesselAsGiven {
            imo
            mmsi
            name
            flag
          }
          watchlist {
            id
            name
          }
          ownerAgency {
            code
            name
          }
        }
      }
    }
  }
`);

export const CreateWatchlistDocument = graphql(`
  mutation CreateWatchlist($idempotencyKey: String!, $input: CreateWatchlistInput!) {
    createWatchlist(idempotencyKey: $idempotencyKey, input: $input) {
      id
      name
    }
  }
`);

export const AddWatchlistEntryDocument = graphql(`
  mutation AddWatchlistEntry($idempotencyKey: String!, $input: AddWatchlistEntryInput!) {
    addWatchlistEntry(idempotencyKey: $idempotencyKey, input: $input) {
      id
    }
  }
`);

export const UpdateWatchlistEntryDocument = graphql(`
  mutation UpdateWatchlistEntry($id: ID!, $input: UpdateWatchlistEntryInput!) {
    updateWatchlistEntry(id: $id, input: $input) {
      id
      updatedAt
    }
  }
`);

export const RemoveWatchlistEntryDocument = graphql(`
  mutation RemoveWatchlistEntry($id: ID!) {
    removeWatchlistEntry(id: $id) {
      id
      validUntil
    }
  }
`);

export const ImportWatchlistEntriesDocument = graphql(`
  mutation ImportWatchlistEntries($watchlistId: ID!, $format: ImportFormat!, $content: String!, $defaults: ImportDefaultsInput) {
    importWatchlistEntries(watchlistId: $watchlistId, format: $format, content: $content, defaults: $defaults) {
      rows
      created
      updated
      unchanged
      failed
      skipped
      errors {
        line
        message
      }
    }
  }
`);
