/** The GraphQL operations of the report screens. */
import { graphql } from '../gql';

export const SubmitReportDocument = graphql(`
  mutation SubmitReport($idempotencyKey: String!, $input: SubmitReportInput!) {
    submitSuspiciousActivityReport(idempotencyKey: $idempotencyKey, input: $input) {
      id
      reference
      status
    }
  }
`);

export const ReportListDocument = graphql(`
  query ReportList($first: Int, $after: String, $filter: ReportFilter) {
    reports(first: $first, after: $after, filter: $filter) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          reference
          port
          category
          observedAt
          status
          vesselName
          imo
          tlp
          access {
            ...AccessFields
          }
        }
      }
    }
  }
`);

export const ReportDetailDocument = graphql(`
  query ReportDetail($id: ID!, $withTriage: Boolean!) {
    report(id: $id) {
      id
      reference
      status
      port
      category
      observedAt
      createdAt
      description
      imo
      mmsi
      vesselName
      vessel {
        imo
        name
        flag
      }
      location {
        lat
        lon
      }
      securityLevel
      actionsTaken
      reporterContact
      submittedBy
      jurisdiction
      ownerAgency {
        code
        name
      }
      escalatedAlert {
        id
        title
      }
      tlp
      access {
        ...AccessFields
      }
      history {
        from
        status
        at
        agency {
          code
          name
        }
        actor @include(if: $withTriage)
        note @include(if: $withTriage)
      }
      possibleDuplicates {
        id
        reference
        port
        observedAt
        status
      }
    }
  }
`);
