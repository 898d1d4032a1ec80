/** The GraphQL operations of report triage. */
import { graphql } from '../gql';

export const TriageReportDocument = graphql(`
  query TriageReport($id: ID!) {
    report(id: $id) {
      ...TriageReportFields
      history {
        from
        status
        at
        agency {
          name
        }
        actor
        note
      }
      escalatedAlert {
        id
        title
      }
      possibleDuplicates {
        ...TriageReportFields
      }
    }
  }
`);

/**
 * What a triage decision compares, for the report and each possible duplicate side by side.
 * @public graphql-codegen reads the fragment from this call; the query spreads it by name.
 */
export const TriageReportFieldsFragment = graphql(`
  fragment TriageReportFields on SuspiciousActivityReport {
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
      mmsi
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
    tlp
    access {
      ...AccessFields
    }
  }
`);

export const TriageMoveDocument = graphql(`
  mutation TriageMove($id: ID!, $status: ReportStatus!, $note: String) {
    triageReport(id: $id, status: $status, note: $note) {
      id
      status
    }
  }
`);

export const EscalateReportDocument = graphql(`
  mutation EscalateReport($id: ID!, $input: PublishAlertInput!, $note: String, $idempotencyKey: String!) {
    escalateReport(id: $id, input: $input, note: $note, idempotencyKey: $idempotencyKey) {
      id
      title
    }
  }
`);

export const EscalationTextCheckDocument = graphql(`
  query EscalationTextCheck($id: ID!, $title: String, $description: String, $intelligenceSummary: String) {
    escalationTextCheck(id: $id, title: $title, description: $description, intelligenceSummary: $intelligenceSummary) {
      field
      message
    }
  }
`);
