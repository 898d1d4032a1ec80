/**
 * An arrival list split into requests the hub accepts (README "Limits"): per operation at most
 * SCREENING_MAX_NAMES names (default 200), screened vessels × maxHits at most SCREENING_MAX_HITS
 * (default 100,000), and a cost within QUERY_MAX_COST (default 20,000), counted as the hub counts
 * it (src/graphql/cost.ts, src/screening/screening.module.ts): 1 for the field, per vessel 1 plus
 * its result's selection, and per name 40 more (times maxHits/50 above the default of 50).
 *
 * The hub may be configured below the defaults; a batch it refuses as too complex is split in two
 * and tried again (see screening.tsx), so the plan only has to be right for the defaults.
 */
import { Kind, type DocumentNode, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';

export interface HubLimits {
  maxNames: number;
  maxHitsTotal: number;
  maxCost: number;
}

/** DEFAULT_REQUEST_LIMITS of src/config.ts. */
const DEFAULT_LIMITS: HubLimits = { maxNames: 200, maxHitsTotal: 100_000, maxCost: 20_000 };

const NAME_COST = 40;
const DEFAULT_MAX_HITS = 50;

/** What the hub counts for a selection: 1 per field plus its own selection (no paged lists here). */
function selectionCost(set: SelectionSetNode | undefined, fragments: Map<string, FragmentDefinitionNode>): number {
  if (!set) return 0;
  let cost = 0;
  for (const s of set.selections) {
    if (s.kind === Kind.FIELD) {
      if (s.name.value === '__typename') continue;
      cost += 1 + selectionCost(s.selectionSet, fragments);
    } else if (s.kind === Kind.INLINE_FRAGMENT) cost += selectionCost(s.selectionSet, fragments);
    else cost += selectionCost(fragments.get(s.name.value)?.selectionSet, fragments);
  }
  return cost;
}

/** The cost of one ScreeningResult as `doc` selects it at its field `field`. */
export function resultCost(doc: DocumentNode, field: string): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of doc.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  for (const d of doc.definitions) {
    if (d.kind !== Kind.OPERATION_DEFINITION) continue;
    for (const s of d.selectionSet.selections) {
      if (s.kind === Kind.FIELD && s.name.value === field) return selectionCost(s.selectionSet, fragments);
    }
  }
  throw new Error(`the document selects no ${field}`);
}

/** Consecutive slices of `vessels` (by index) that each stay within the limits. */
export function planBatches(
  vessels: readonly { name?: string }[],
  perResult: number,
  limits: HubLimits = DEFAULT_LIMITS,
  maxHits = DEFAULT_MAX_HITS,
): { start: number; end: number }[] {
  const nameCost = NAME_COST * Math.max(1, maxHits / DEFAULT_MAX_HITS);
  const maxVessels = Math.max(1, Math.floor(limits.maxHitsTotal / maxHits));
  const batches: { start: number; end: number }[] = [];
  let start = 0;
  let cost = 1;
  let names = 0;
  for (let i = 0; i < vessels.length; i++) {
    const hasName = !!vessels[i].name?.trim();
    const add = 1 + perResult + (hasName ? nameCost : 0);
    const full = i > start && (cost + add > limits.maxCost || names + (hasName ? 1 : 0) > limits.maxNames || i - start >= maxVessels);
    if (full) {
      batches.push({ start, end: i });
      start = i;
      cost = 1;
      names = 0;
    }
    cost += add;
    names += hasName ? 1 : 0;
  }
  if (start < vessels.length) batches.push({ start, end: vessels.length });
  return batches;
}

/**
 * Runs `jobs` with at most `concurrency` in flight; each job may add follow-up jobs (a split batch)
 * by returning them. Resolves when every job, follow-ups included, has ended.
 */
export async function runPool<J>(jobs: J[], concurrency: number, run: (job: J) => Promise<J[] | void>): Promise<void> {
  const queue = [...jobs];
  let active = 0;
  await new Promise<void>((resolve, reject) => {
    const next = () => {
      if (queue.length === 0 && active === 0) return resolve();
      while (active < concurrency && queue.length > 0) {
        const job = queue.shift()!;
        active++;
        run(job).then(
          (more) => {
            active--;
            if (more) queue.unshift(...more);
            next();
          },
          (err: unknown) => reject(err),
        );
      }
    };
    next();
  });
}
