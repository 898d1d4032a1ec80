/**
 * What every operation must pass on both transports, besides the GraphQL spec's own rules: the
 * query limits, and no introspection outside development (the schema is published as
 * schema/schema.graphql; federation reads `_service { sdl }`, which is no introspection).
 */
import { GraphQLError, NoSchemaIntrospectionCustomRule, type ValidationRule } from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import type { TransportLimits } from '../config';
import { queryLimitRules } from '../graphql/limits';

export function operationRules(limits: Pick<TransportLimits, 'introspection'>): ValidationRule[] {
  return limits.introspection ? queryLimitRules : [...queryLimitRules, NoSchemaIntrospectionCustomRule];
}

/**
 * A subscription sent over HTTP would be executed as a query, without its event stream, and fail
 * inside a resolver: refuse it as the client's mistake, naming the right transport.
 */
export const subscriptionsOverWebSocketOnly: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async didResolveOperation({ operation }) {
        if (operation?.operation !== 'subscription') return;
        throw new GraphQLError('subscriptions are served over WebSocket (graphql-transport-ws) at this same path, not over HTTP', {
          extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } },
        });
      },
    };
  },
};
