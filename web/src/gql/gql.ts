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
    "\n  query AlertDetail($id: ID!) {\n    alert(id: $id) {\n      id\n      title\n      description\n      severity\n      category\n      status\n      port\n      issuedAt\n      expiresAt\n      intelligenceSummary\n      jurisdiction\n      recipients\n      tlp\n      location {\n        lat\n        lon\n      }\n      access {\n        ...AccessFields\n      }\n      ownerAgency {\n        code\n        name\n      }\n      vessel {\n        imo\n        name\n        mmsi\n        flag\n        vesselType\n      }\n      vesselAsGiven {\n        imo\n        name\n        mmsi\n        flag\n        callSign\n        vesselType\n      }\n      history {\n        status\n        at\n        actor\n        note\n      }\n    }\n  }\n": typeof types.AlertDetailDocument,
    "\n  mutation ChangeAlertStatus($id: ID!, $status: AlertStatus!, $note: String) {\n    updateAlertStatus(id: $id, status: $status, note: $note) {\n      id\n      status\n    }\n  }\n": typeof types.ChangeAlertStatusDocument,
    "\n  fragment BoardAlert on VesselAlert {\n    id\n    title\n    severity\n    category\n    status\n    port\n    issuedAt\n    tlp\n    access {\n      ...AccessFields\n    }\n    vessel {\n      imo\n      name\n    }\n    vesselAsGiven {\n      imo\n      name\n    }\n  }\n": typeof types.BoardAlertFragmentDoc,
    "\n  query AlertBoard($filter: AlertFilter, $first: Int) {\n    alerts(filter: $filter, first: $first) {\n      edges {\n        node {\n          ...BoardAlert\n        }\n      }\n    }\n  }\n": typeof types.AlertBoardDocument,
    "\n  subscription AlertBoardLive($after: String, $filter: AlertFilter) {\n    vesselAlerts(after: $after, filter: $filter) {\n      sequence\n      kind\n      alertId\n      alert {\n        ...BoardAlert\n      }\n    }\n  }\n": typeof types.AlertBoardLiveDocument,
    "\n  mutation SubmitReport($idempotencyKey: String!, $input: SubmitReportInput!) {\n    submitSuspiciousActivityReport(idempotencyKey: $idempotencyKey, input: $input) {\n      id\n      reference\n      status\n    }\n  }\n": typeof types.SubmitReportDocument,
    "\n  query ReportList($first: Int, $after: String, $filter: ReportFilter) {\n    reports(first: $first, after: $after, filter: $filter) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          reference\n          port\n          category\n          observedAt\n          status\n          vesselName\n          imo\n          tlp\n          access {\n            ...AccessFields\n          }\n        }\n      }\n    }\n  }\n": typeof types.ReportListDocument,
    "\n  query ReportDetail($id: ID!, $withTriage: Boolean!) {\n    report(id: $id) {\n      id\n      reference\n      status\n      port\n      category\n      observedAt\n      createdAt\n      description\n      imo\n      mmsi\n      vesselName\n      vessel {\n        imo\n        name\n        flag\n      }\n      location {\n        lat\n        lon\n      }\n      securityLevel\n      actionsTaken\n      reporterContact\n      submittedBy\n      jurisdiction\n      ownerAgency {\n        code\n        name\n      }\n      escalatedAlert {\n        id\n        title\n      }\n      tlp\n      access {\n        ...AccessFields\n      }\n      history {\n        from\n        status\n        at\n        agency {\n          code\n          name\n        }\n        actor @include(if: $withTriage)\n        note @include(if: $withTriage)\n      }\n      possibleDuplicates {\n        id\n        reference\n        port\n        observedAt\n        status\n      }\n    }\n  }\n": typeof types.ReportDetailDocument,
    "\n  query Me {\n    me {\n      subject\n      roles\n      purpose\n      agency {\n        code\n        name\n        kind\n        country\n        ports\n      }\n    }\n  }\n": typeof types.MeDocument,
};
const documents: Documents = {
    "\n  fragment AccessFields on Access {\n    basis\n    agreementId\n    redactedFields\n  }\n": types.AccessFieldsFragmentDoc,
    "\n  query AlertDetail($id: ID!) {\n    alert(id: $id) {\n      id\n      title\n      description\n      severity\n      category\n      status\n      port\n      issuedAt\n      expiresAt\n      intelligenceSummary\n      jurisdiction\n      recipients\n      tlp\n      location {\n        lat\n        lon\n      }\n      access {\n        ...AccessFields\n      }\n      ownerAgency {\n        code\n        name\n      }\n      vessel {\n        imo\n        name\n        mmsi\n        flag\n        vesselType\n      }\n      vesselAsGiven {\n        imo\n        name\n        mmsi\n        flag\n        callSign\n        vesselType\n      }\n      history {\n        status\n        at\n        actor\n        note\n      }\n    }\n  }\n": types.AlertDetailDocument,
    "\n  mutation ChangeAlertStatus($id: ID!, $status: AlertStatus!, $note: String) {\n    updateAlertStatus(id: $id, status: $status, note: $note) {\n      id\n      status\n    }\n  }\n": types.ChangeAlertStatusDocument,
    "\n  fragment BoardAlert on VesselAlert {\n    id\n    title\n    severity\n    category\n    status\n    port\n    issuedAt\n    tlp\n    access {\n      ...AccessFields\n    }\n    vessel {\n      imo\n      name\n    }\n    vesselAsGiven {\n      imo\n      name\n    }\n  }\n": types.BoardAlertFragmentDoc,
    "\n  query AlertBoard($filter: AlertFilter, $first: Int) {\n    alerts(filter: $filter, first: $first) {\n      edges {\n        node {\n          ...BoardAlert\n        }\n      }\n    }\n  }\n": types.AlertBoardDocument,
    "\n  subscription AlertBoardLive($after: String, $filter: AlertFilter) {\n    vesselAlerts(after: $after, filter: $filter) {\n      sequence\n      kind\n      alertId\n      alert {\n        ...BoardAlert\n      }\n    }\n  }\n": types.AlertBoardLiveDocument,
    "\n  mutation SubmitReport($idempotencyKey: String!, $input: SubmitReportInput!) {\n    submitSuspiciousActivityReport(idempotencyKey: $idempotencyKey, input: $input) {\n      id\n      reference\n      status\n    }\n  }\n": types.SubmitReportDocument,
    "\n  query ReportList($first: Int, $after: String, $filter: ReportFilter) {\n    reports(first: $first, after: $after, filter: $filter) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          reference\n          port\n          category\n          observedAt\n          status\n          vesselName\n          imo\n          tlp\n          access {\n            ...AccessFields\n          }\n        }\n      }\n    }\n  }\n": types.ReportListDocument,
    "\n  query ReportDetail($id: ID!, $withTriage: Boolean!) {\n    report(id: $id) {\n      id\n      reference\n      status\n      port\n      category\n      observedAt\n      createdAt\n      description\n      imo\n      mmsi\n      vesselName\n      vessel {\n        imo\n        name\n        flag\n      }\n      location {\n        lat\n        lon\n      }\n      securityLevel\n      actionsTaken\n      reporterContact\n      submittedBy\n      jurisdiction\n      ownerAgency {\n        code\n        name\n      }\n      escalatedAlert {\n        id\n        title\n      }\n      tlp\n      access {\n        ...AccessFields\n      }\n      history {\n        from\n        status\n        at\n        agency {\n          code\n          name\n        }\n        actor @include(if: $withTriage)\n        note @include(if: $withTriage)\n      }\n      possibleDuplicates {\n        id\n        reference\n        port\n        observedAt\n        status\n      }\n    }\n  }\n": types.ReportDetailDocument,
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
export function graphql(source: "\n  query AlertDetail($id: ID!) {\n    alert(id: $id) {\n      id\n      title\n      description\n      severity\n      category\n      status\n      port\n      issuedAt\n      expiresAt\n      intelligenceSummary\n      jurisdiction\n      recipients\n      tlp\n      location {\n        lat\n        lon\n      }\n      access {\n        ...AccessFields\n      }\n      ownerAgency {\n        code\n        name\n      }\n      vessel {\n        imo\n        name\n        mmsi\n        flag\n        vesselType\n      }\n      vesselAsGiven {\n        imo\n        name\n        mmsi\n        flag\n        callSign\n        vesselType\n      }\n      history {\n        status\n        at\n        actor\n        note\n      }\n    }\n  }\n"): (typeof documents)["\n  query AlertDetail($id: ID!) {\n    alert(id: $id) {\n      id\n      title\n      description\n      severity\n      category\n      status\n      port\n      issuedAt\n      expiresAt\n      intelligenceSummary\n      jurisdiction\n      recipients\n      tlp\n      location {\n        lat\n        lon\n      }\n      access {\n        ...AccessFields\n      }\n      ownerAgency {\n        code\n        name\n      }\n      vessel {\n        imo\n        name\n        mmsi\n        flag\n        vesselType\n      }\n      vesselAsGiven {\n        imo\n        name\n        mmsi\n        flag\n        callSign\n        vesselType\n      }\n      history {\n        status\n        at\n        actor\n        note\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ChangeAlertStatus($id: ID!, $status: AlertStatus!, $note: String) {\n    updateAlertStatus(id: $id, status: $status, note: $note) {\n      id\n      status\n    }\n  }\n"): (typeof documents)["\n  mutation ChangeAlertStatus($id: ID!, $status: AlertStatus!, $note: String) {\n    updateAlertStatus(id: $id, status: $status, note: $note) {\n      id\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment BoardAlert on VesselAlert {\n    id\n    title\n    severity\n    category\n    status\n    port\n    issuedAt\n    tlp\n    access {\n      ...AccessFields\n    }\n    vessel {\n      imo\n      name\n    }\n    vesselAsGiven {\n      imo\n      name\n    }\n  }\n"): (typeof documents)["\n  fragment BoardAlert on VesselAlert {\n    id\n    title\n    severity\n    category\n    status\n    port\n    issuedAt\n    tlp\n    access {\n      ...AccessFields\n    }\n    vessel {\n      imo\n      name\n    }\n    vesselAsGiven {\n      imo\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AlertBoard($filter: AlertFilter, $first: Int) {\n    alerts(filter: $filter, first: $first) {\n      edges {\n        node {\n          ...BoardAlert\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query AlertBoard($filter: AlertFilter, $first: Int) {\n    alerts(filter: $filter, first: $first) {\n      edges {\n        node {\n          ...BoardAlert\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription AlertBoardLive($after: String, $filter: AlertFilter) {\n    vesselAlerts(after: $after, filter: $filter) {\n      sequence\n      kind\n      alertId\n      alert {\n        ...BoardAlert\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription AlertBoardLive($after: String, $filter: AlertFilter) {\n    vesselAlerts(after: $after, filter: $filter) {\n      sequence\n      kind\n      alertId\n      alert {\n        ...BoardAlert\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SubmitReport($idempotencyKey: String!, $input: SubmitReportInput!) {\n    submitSuspiciousActivityReport(idempotencyKey: $idempotencyKey, input: $input) {\n      id\n      reference\n      status\n    }\n  }\n"): (typeof documents)["\n  mutation SubmitReport($idempotencyKey: String!, $input: SubmitReportInput!) {\n    submitSuspiciousActivityReport(idempotencyKey: $idempotencyKey, input: $input) {\n      id\n      reference\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ReportList($first: Int, $after: String, $filter: ReportFilter) {\n    reports(first: $first, after: $after, filter: $filter) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          reference\n          port\n          category\n          observedAt\n          status\n          vesselName\n          imo\n          tlp\n          access {\n            ...AccessFields\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ReportList($first: Int, $after: String, $filter: ReportFilter) {\n    reports(first: $first, after: $after, filter: $filter) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          reference\n          port\n          category\n          observedAt\n          status\n          vesselName\n          imo\n          tlp\n          access {\n            ...AccessFields\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ReportDetail($id: ID!, $withTriage: Boolean!) {\n    report(id: $id) {\n      id\n      reference\n      status\n      port\n      category\n      observedAt\n      createdAt\n      description\n      imo\n      mmsi\n      vesselName\n      vessel {\n        imo\n        name\n        flag\n      }\n      location {\n        lat\n        lon\n      }\n      securityLevel\n      actionsTaken\n      reporterContact\n      submittedBy\n      jurisdiction\n      ownerAgency {\n        code\n        name\n      }\n      escalatedAlert {\n        id\n        title\n      }\n      tlp\n      access {\n        ...AccessFields\n      }\n      history {\n        from\n        status\n        at\n        agency {\n          code\n          name\n        }\n        actor @include(if: $withTriage)\n        note @include(if: $withTriage)\n      }\n      possibleDuplicates {\n        id\n        reference\n        port\n        observedAt\n        status\n      }\n    }\n  }\n"): (typeof documents)["\n  query ReportDetail($id: ID!, $withTriage: Boolean!) {\n    report(id: $id) {\n      id\n      reference\n      status\n      port\n      category\n      observedAt\n      createdAt\n      description\n      imo\n      mmsi\n      vesselName\n      vessel {\n        imo\n        name\n        flag\n      }\n      location {\n        lat\n        lon\n      }\n      securityLevel\n      actionsTaken\n      reporterContact\n      submittedBy\n      jurisdiction\n      ownerAgency {\n        code\n        name\n      }\n      escalatedAlert {\n        id\n        title\n      }\n      tlp\n      access {\n        ...AccessFields\n      }\n      history {\n        from\n        status\n        at\n        agency {\n          code\n          name\n        }\n        actor @include(if: $withTriage)\n        note @include(if: $withTriage)\n      }\n      possibleDuplicates {\n        id\n        reference\n        port\n        observedAt\n        status\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Me {\n    me {\n      subject\n      roles\n      purpose\n      agency {\n        code\n        name\n        kind\n        country\n        ports\n      }\n    }\n  }\n"): (typeof documents)["\n  query Me {\n    me {\n      subject\n      roles\n      purpose\n      agency {\n        code\n        name\n        kind\n        country\n        ports\n      }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;