/**
 * What an operation will do, counted before it runs: one function for HTTP and WebSocket.
 *
 * Validation rules never see variables, so `first: $n` or a screening batch given as `$vessels`
 * would escape a cost rule. This counts after the operation is resolved, with its variables
 * (graphql-query-complexity's getComplexity coerces them as execution will), so a value counts
 * the same whether it is written in the document or sent as a variable.
 *
 * Every field costs 1 plus its selection; a page (`first`) multiplies its selection by the page
 * size; a module may price its own fields (FeatureModule.costs), e.g. per screened vessel, and
 * tally work that has a per-operation limit of its own (screened names).
 */
import { getOperationAST, GraphQLError, type DocumentNode, type GraphQLSchema } from 'graphql';
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './connection';

interface FieldCostInput {
  /** The field's arguments, variables and defaults applied. */
  args: Record<string, unknown>;
  /** The cost of the field's selection, for one object of its type. */
  childCost: number;
  /** Adds `n` to a per-operation tally (limited by OperationLimits.perOperation). */
  tally(name: string, n: number): void;
}

/** What one field costs where it is selected. */
export type FieldCost = (field: FieldCostInput) => number;

/** Field costs by type and field name. */
export type FieldCosts = Record<string, Record<string, FieldCost>>;

export interface OperationLimits {
  maxCost: number;
  /** Per-operation tallies: the most of each, and the setting that says so. */
  perOperation: Record<string, { max: number; setting: string }>;
}

export interface OperationRequest {
  document: DocumentNode;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
}

/** Beyond this many fields and fragments the operation is refused without counting further. */
const MAX_NODES = 10_000;

const tooComplex = (message: string) => new GraphQLError(message, { extensions: { code: 'QUERY_TOO_COMPLEX', http: { status: 400 } } });

/** The page size a `first` argument asks for; out-of-range values are refused by the list itself. */
function pageSize(first: unknown): number {
  if (first === undefined || first === null) return DEFAULT_PAGE_SIZE;
  return typeof first === 'number' && Number.isInteger(first) && first >= 0 ? Math.min(first, MAX_PAGE_SIZE) : MAX_PAGE_SIZE;
}

export class OperationCost {
  private readonly estimator: ComplexityEstimator;

  constructor(
    private readonly schema: GraphQLSchema,
    costs: FieldCosts,
    private readonly limits: OperationLimits,
  ) {
    this.estimator = ({ type, field, args, childComplexity, context }) => {
      const own = costs[type.name]?.[field.name];
      if (own) return own({ args, childCost: childComplexity, tally: (context as { tally: FieldCostInput['tally'] }).tally });
      if (field.args.some((a) => a.name === 'first')) return 1 + pageSize(args.first) * childComplexity;
      return 1 + childComplexity;
    };
  }

  /** The operation's cost and tallies; throws QUERY_TOO_COMPLEX when it has more nodes than are counted. */
  measure(request: OperationRequest): { cost: number; tallies: Map<string, number> } {
    const tallies = new Map<string, number>();
    const tally = (name: string, n: number) => tallies.set(name, (tallies.get(name) ?? 0) + n);
    // No one operation to run (a name that names none, or several without a name): nothing runs,
    // and the transport says why. Counting would add up every operation, or fail on anonymous ones.
    const operation = getOperationAST(request.document, request.operationName);
    if (!operation) return { cost: 0, tallies };
    let cost: number;
    try {
      cost = getComplexity({
        schema: this.schema,
        query: request.document,
        operationName: operation.name?.value,
        variables: request.variables ?? {},
        estimators: [this.estimator],
        context: { tally },
        maxQueryNodes: MAX_NODES,
      });
    } catch (err) {
      if (err instanceof GraphQLError && /maximum allowed number of nodes/.test(err.message)) {
        throw tooComplex(`The operation has more than ${MAX_NODES} fields and fragments; ask for less in one request`);
      }
      // Arguments or directives whose values do not fit their types (a null in a non-null argument
      // through a defaulted variable, `@include(if: $v)` with null): refused whole. Execution would
      // fail only that field and run the rest, uncounted.
      if (err instanceof GraphQLError) {
        throw new GraphQLError(err.message, { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });
      }
      throw err;
    }
    return { cost, tallies };
  }

  /** Throws QUERY_TOO_COMPLEX, saying which limit and setting, when the operation asks for too much. */
  check(request: OperationRequest): void {
    const { cost, tallies } = this.measure(request);
    for (const [name, count] of tallies) {
      const limit = this.limits.perOperation[name];
      if (limit && count > limit.max) {
        throw tooComplex(
          `The operation asks for ${count} ${name}; the hub accepts at most ${limit.max} in one operation (${limit.setting}). ` +
            'Split it over several requests.',
        );
      }
    }
    if (cost > this.limits.maxCost) {
      throw tooComplex(
        `The operation would cost ${cost}, more than the limit of ${this.limits.maxCost} (QUERY_MAX_COST). ` +
          'Ask for smaller pages (first), fewer items or fewer fields.',
      );
    }
  }
}
