/** The GraphQL operations of the webhook screen. */
import { graphql } from '../gql';

export const WebhookListDocument = graphql(`
  query WebhookList($first: Int, $after: String, $deliveries: Int!, $status: [WebhookDeliveryStatus!]) {
    webhooks(first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          ...WebhookFields
          deliveries(first: $deliveries, status: $status) {
            totalCount
            edges {
              node {
                id
                kind
                status
                attempts
                createdAt
                lastAttemptAt
                nextAttemptAt
                deliveredAt
                lastStatusCode
                lastError
                alertId
              }
            }
          }
        }
      }
    }
  }
`);

/**
 * A webhook as the screen shows it.
 * @public graphql-codegen reads the fragment from this call; operations spread it by name.
 */
export const WebhookFieldsFragment = graphql(`
  fragment WebhookFields on Webhook {
    id
    url
    description
    createdBy
    createdAt
    active
    deactivatedAt
    deactivatedReason
    secretRotatedAt
    previousSecretExpiresAt
    roles
    purpose
    filter {
      ports
      jurisdictions
      categories
      minSeverity
    }
  }
`);

export const RegisterWebhookDocument = graphql(`
  mutation RegisterWebhook($idempotencyKey: String!, $input: RegisterWebhookInput!) {
    registerWebhook(idempotencyKey: $idempotencyKey, input: $input) {
      secret
      webhook {
        id
        url
      }
    }
  }
`);

export const TestWebhookDocument = graphql(`
  mutation TestWebhook($id: ID!) {
    testWebhook(id: $id) {
      delivered
      statusCode
      error
      sentAt
    }
  }
`);

export const RotateWebhookSecretDocument = graphql(`
  mutation RotateWebhookSecret($id: ID!, $keepPreviousForSeconds: Int) {
    rotateWebhookSecret(id: $id, keepPreviousForSeconds: $keepPreviousForSeconds) {
      secret
      webhook {
        id
        url
      }
    }
  }
`);

export const DeleteWebhookDocument = graphql(`
  mutation DeleteWebhook($id: ID!) {
    deleteWebhook(id: $id) {
      id
      active
    }
  }
`);
