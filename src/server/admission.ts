/**
 * What an operation must pass before it executes, on both transports, once it is resolved (so
 * with its variables): its cost and per-operation limits (src/graphql/cost.ts) and, over HTTP,
 * its agency's request rate (rate-limit.ts). Subscriptions over WebSocket are bounded per socket
 * by the transport; each is priced here like any operation.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import type { DataSource } from 'typeorm';
import type { RequestLimits } from '../config';
import { OperationCost, type OperationRequest } from '../graphql/cost';
import { FIELD_COSTS } from '../api/modules';
import { defineSetting, type HubSettings, type RequestContext } from '../request/context';
import { SCREENED_NAMES, SCREENING_HITS } from '../screening/screening.module';
import { AgencyRateLimits } from './rate-limit';

export interface Admission {
  cost: OperationCost;
  rates: AgencyRateLimits;
}

export const ADMISSION = defineSetting<Admission>('admission', () => {
  throw new Error('operations are admitted only by a hub (startHub gives the admission setting)');
});

export function createAdmission(schema: GraphQLSchema, db: DataSource, limits: RequestLimits): Admission {
  return {
    cost: new OperationCost(schema, FIELD_COSTS, {
      maxCost: limits.maxCost,
      perOperation: {
        [SCREENED_NAMES]: { max: limits.screeningNames, setting: 'SCREENING_MAX_NAMES' },
        [SCREENING_HITS]: { max: limits.screeningHits, setting: 'SCREENING_MAX_HITS' },
      },
    }),
    rates: new AgencyRateLimits(db, { read: limits.reads, write: limits.writes }),
  };
}

/** For the WebSocket transport: the errors that refuse the operation, or undefined. */
export function operationCostErrors(settings: HubSettings, request: OperationRequest): GraphQLError[] | undefined {
  try {
    settings.get(ADMISSION).cost.check(request);
    return undefined;
  } catch (err) {
    if (err instanceof GraphQLError) return [err];
    throw err;
  }
}

/** For HTTP: refuses over-cost operations, then spends one of the agency's read or write tokens. */
export const admissionPlugin: ApolloServerPlugin<RequestContext> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ document, request, operation, contextValue: ctx }) {
        const admission = ctx.settings.get(ADMISSION);
        admission.cost.check({ document, operationName: request.operationName, variables: request.variables });
        await admission.rates.take(ctx.principal.agency.code, operation?.operation === 'mutation' ? 'write' : 'read');
      },
    };
  },
};
