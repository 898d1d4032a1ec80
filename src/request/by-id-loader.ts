import DataLoader from 'dataloader';
import { In, type DataSource, type ObjectLiteral } from 'typeorm';

/**
 * Rows of `entity` by id, batched over one request. Only for records reached by reference (whose
 * visibility the referring record settles), never for direct lookups, which filter in SQL.
 */
export function byIdLoader<T extends ObjectLiteral & { id: string }>(db: DataSource, entity: new () => T) {
  return new DataLoader<string, T | undefined>(async (ids) => {
    const rows = await db.getRepository(entity).findBy({ id: In([...ids]) } as never);
    const map = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => map.get(id));
  });
}
