/** One paginated list of the API (`first`/`after`), loaded page by page with "more" appended. */
import { useCallback, useEffect, useState } from 'react';

export interface Page<T> {
  rows: T[];
  total: number;
  next: string | null;
}

export interface Paged<T> {
  rows?: T[];
  total: number;
  error?: string;
  loading: boolean;
  hasMore: boolean;
  more(): void;
  reload(): void;
}

/** `fetchPage(after)` from the start whenever it changes (a new filter), and on reload(). */
export function usePaged<T>(fetchPage: (after: string | null) => Promise<Page<T>>): Paged<T> {
  const [rows, setRows] = useState<T[]>();
  const [total, setTotal] = useState(0);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(false);

  const load = useCallback(
    async (after: string | null) => {
      setLoading(true);
      setError(undefined);
      try {
        const page = await fetchPage(after);
        setRows((old) => (after && old ? [...old, ...page.rows] : page.rows));
        setTotal(page.total);
        setNext(page.next);
      } catch (e) {
        setError(e instanceof Error ? e.message : String(e));
      } finally {
        setLoading(false);
      }
    },
    [fetchPage],
  );

  useEffect(() => {
    void load(null);
  }, [load]);

  return { rows, total, error, loading, hasMore: next !== null, more: () => void load(next), reload: () => void load(null) };
}

/** A connection's page as usePaged wants it. */
export function pageOf<N>(c: {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
  edges: { node: N }[];
}): Page<N> {
  return { rows: c.edges.map((e) => e.node), total: c.totalCount, next: c.pageInfo.hasNextPage ? (c.pageInfo.endCursor ?? null) : null };
}
