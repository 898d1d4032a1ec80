/**
 * Relay cursor connections over TypeORM query builders, with keyset pagination so deep pages
 * stay cheap and rows inserted meanwhile never shift a page. The caller has already applied
 * the policy engine's row filter to the builder, so edges and totalCount agree by construction.
 */
import { ClassType, Field, Int, ObjectType } from 'type-graphql';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { badInput } from '../common/errors';
import { UUID } from './ids';

export const MAX_PAGE_SIZE = 500;
export const DEFAULT_PAGE_SIZE = 50;

@ObjectType()
export class PageInfo {
  @Field() hasNextPage: boolean;
  @Field(() => String, { nullable: true }) endCursor: string | null;
}

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: PageInfo;
  /**
   * Counted only when the selection asks for it (a getter, read by the field's resolver): the
   * count reads every visible row, where the page reads one page.
   */
  readonly totalCount: Promise<number>;
}

/** `FooConnection` and `FooEdge` types for a node type, named as the contract names them. */
export function ConnectionType<T extends object>(node: ClassType<T>, name = node.name) {
  @ObjectType(`${name}Edge`)
  class Edge {
    @Field() cursor: string;
    @Field(() => node) node: T;
  }
  @ObjectType(`${name}Connection`)
  class ConnectionClass implements Connection<T> {
    @Field(() => [Edge]) edges: Edge[];
    @Field(() => PageInfo) pageInfo: PageInfo;
    @Field(() => Int) readonly totalCount: Promise<number>;
  }
  return ConnectionClass;
}

export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

export interface SortKey {
  /** SQL expression of the sort column, e.g. `e.created_at` */
  column: string;
  /** entity property holding it, to build the cursor */
  property: string;
  kind: 'timestamp' | 'text' | 'bigint';
}

const encodeCursor = (values: unknown[]) => Buffer.from(JSON.stringify(values)).toString('base64url');

function decodeCursor(cursor: string): [string, string] {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'string')) return v as [string, string];
  } catch {
    /* fall through */
  }
  throw badInput('after must be an endCursor returned by this list', 'after');
}

/** Only what sortValue writes (and PostgreSQL casts): anything else would fail in SQL, not as bad input. */
const ISO_INSTANT = /^(?!0000)\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const MAX_BIGINT = 9223372036854775807n;
const cursorValueFits = (kind: SortKey['kind'], value: string) =>
  kind === 'timestamp'
    ? ISO_INSTANT.test(value) && !Number.isNaN(Date.parse(value)) && new Date(value).toISOString() === value
    : kind === 'bigint'
      ? /^\d{1,19}$/.test(value) && BigInt(value) <= MAX_BIGINT
      : !value.includes('\u0000');

function validatePageSize(first: number | null | undefined): number {
  if (first === undefined || first === null) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw badInput(`first must be a whole number from 0 to ${MAX_PAGE_SIZE}, got ${first}`, 'first');
  }
  return first;
}

const sortValue = (row: ObjectLiteral, key: SortKey): string => {
  const v = row[key.property];
  return v instanceof Date ? v.toISOString() : String(v);
};

/**
 * One page of `qb` ordered by `sort` then the row's uuid `id` (alias.id), or by `sort` alone
 * when `sort` is itself unique (`unique: true`); `direction` DESC for newest first.
 */
export async function paginate<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  alias: string,
  sort: SortKey,
  direction: 'ASC' | 'DESC',
  args: PageArgs,
  opts: {
    unique?: boolean;
    /** Shows the sort value in cursors only as a token (a hub-wide sequence must not be read from them). */
    opaque?: { hide(value: string): string; reveal(token: string): string };
  } = {},
): Promise<Connection<T>> {
  const first = validatePageSize(args.first);
  const counted = qb.clone();
  let count: Promise<number> | undefined;
  const page = qb.clone();
  const cmp = direction === 'ASC' ? '>' : '<';
  if (args.after) {
    const [shown, id] = decodeCursor(args.after);
    const value = opts.opaque ? opts.opaque.reveal(shown) : shown;
    const cast = sort.kind === 'timestamp' ? 'timestamptz' : sort.kind === 'bigint' ? 'bigint' : 'text';
    if (!cursorValueFits(sort.kind, value) || !(opts.unique ? id === '' : UUID.test(id))) {
      throw badInput('after must be an endCursor returned by this list', 'after');
    }
    if (opts.unique) {
      page.andWhere(`${sort.column} ${cmp} CAST(:pg_after_v AS ${cast})`, { pg_after_v: value });
    } else {
      page.andWhere(`(${sort.column}, ${alias}.id) ${cmp} (CAST(:pg_after_v AS ${cast}), CAST(:pg_after_id AS uuid))`, {
        pg_after_v: value,
        pg_after_id: id,
      });
    }
  }
  page.orderBy(sort.column, direction);
  if (!opts.unique) page.addOrderBy(`${alias}.id`, direction);
  const rows = await page.limit(first + 1).getMany();
  const hasNextPage = rows.length > first;
  const edges = rows.slice(0, first).map((node) => ({
    cursor: encodeCursor([
      opts.opaque ? opts.opaque.hide(sortValue(node, sort)) : sortValue(node, sort),
      opts.unique ? '' : String(node.id),
    ]),
    node,
  }));
  return {
    edges,
    get totalCount() {
      return (count ??= counted.getCount());
    },
    pageInfo: { hasNextPage, endCursor: edges.at(-1)?.cursor ?? null },
  };
}
