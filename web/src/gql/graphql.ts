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

export type AccessFieldsFragment = { basis: AccessBasis, agreementId: string | null, redactedFields: Array<string> };

export type MeQueryVariables = Exact<{ [key: string]: never; }>;


export type MeQuery = { me: { subject: string, roles: Array<string>, purpose: string | null, agency: { code: string, name: string, kind: AgencyKind, country: string, ports: Array<string> } } };

export const AccessFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"AccessFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Access"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"basis"}},{"kind":"Field","name":{"kind":"Name","value":"agreementId"}},{"kind":"Field","name":{"kind":"Name","value":"redactedFields"}}]}}]} as unknown as DocumentNode<AccessFieldsFragment, unknown>;
export const MeDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Me"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"me"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"subject"}},{"kind":"Field","name":{"kind":"Name","value":"roles"}},{"kind":"Field","name":{"kind":"Name","value":"purpose"}},{"kind":"Field","name":{"kind":"Name","value":"agency"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"country"}},{"kind":"Field","name":{"kind":"Name","value":"ports"}}]}}]}}]}}]} as unknown as DocumentNode<MeQuery, MeQueryVariables>;