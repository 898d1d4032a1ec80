/**
 * Query shape limits (graphql-armor rules), applied as validation rules on every transport.
 * Cost needs the operation's variables, which validation never sees: it is counted once the
 * operation is resolved (src/graphql/cost.ts). Page sizes are also capped on the arguments
 * themselves (src/graphql/connection.ts).
 */
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { GraphQLError, type ValidationContext, type ValidationRule } from 'graphql';

const LIMITS = { depth: 12, aliases: 20 };

/** Report a rejection as a validation error with the contract's code, instead of throwing. */
const reject = {
  propagateOnRejection: false,
  exposeLimits: true,
  onReject: [
    (ctx: ValidationContext | null, err: GraphQLError) => {
      const error = new GraphQLError(err.message.replace(/^Syntax Error: /, ''), { extensions: { code: 'QUERY_TOO_COMPLEX' } });
      // As validation rules the context is always there; fail closed if it ever is not.
      if (!ctx) throw error;
      ctx.reportError(error);
    },
  ],
};

export const queryLimitRules: ValidationRule[] = [
  maxDepthRule({ n: LIMITS.depth, ...reject }),
  maxAliasesRule({ n: LIMITS.aliases, ...reject }),
] as ValidationRule[];
