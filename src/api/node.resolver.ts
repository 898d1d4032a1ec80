import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import { Node } from '../graphql/node';
import { parseGlobalId, UUID } from '../graphql/ids';
import type { RequestContext } from '../request/context';
import type { NodeLookup } from '../request/module';
import { MODULES } from './modules';

/** `node(id)` routes by the id's type to the same filtered lookups the typed queries use. */
const LOOKUPS: ReadonlyMap<string, NodeLookup> = new Map(MODULES.flatMap((m) => Object.entries(m.nodes ?? {})));
const CODE_KEYED: ReadonlySet<string> = new Set(MODULES.flatMap((m) => m.codeKeyed ?? []));

@Resolver()
export class NodeResolver {
  @Query(() => Node, { nullable: true, description: 'Any object by its global id; null when missing or not visible' })
  async node(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<object | null> {
    const parsed = parseGlobalId(id);
    const lookup = parsed && LOOKUPS.get(parsed.type);
    if (!parsed || !lookup) return null;
    if (!CODE_KEYED.has(parsed.type) && !UUID.test(parsed.key)) return null;
    return lookup(ctx, id, parsed.key);
  }
}
