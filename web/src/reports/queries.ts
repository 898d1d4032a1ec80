/** The GraphQL operations of the report screens, and the enums' values in display order. */
import { graphql } from '../gql';
import type { ReportStatus, ThreatCategory } from '../gql/graphql';

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

export const THREAT_CATEGORIES: ThreatCategory[] = [
  'SMUGGLING',
  'DRUG_TRAFFICKING',
  'WEAPONS_TRAFFICKING',
  'HUMAN_TRAFFICKING',
  'IRREGULAR_MIGRATION',
  'SANCTIONS_EVASION',
  'ILLEGAL_FISHING',
  'THEFT',
  'PIRACY',
  'UNAUTHORIZED_ACCESS',
  'SECURITY_BREACH',
  'SURVEILLANCE',
  'CYBER',
  'AIS_MANIPULATION',
  'SHIP_TO_SHIP_TRANSFER',
  'IDENTITY_FRAUD',
  'POLLUTION',
  'TERRORISM',
  'CUSTOMS_VIOLATION',
  'OTHER',
];

export const REPORT_STATUSES: ReportStatus[] = ['SUBMITTED', 'UNDER_REVIEW', 'ESCALATED', 'CLOSED'];
