/**
 * The hub's own keys (hub_secrets, each made by a migration): in the database, so every instance
 * and every restart uses the same; they hide nothing the database does not hold.
 */

/** What reads the hub's keys: a DataSource or anything that runs a query the same way. */
export interface KeyReader {
  query(sql: string, params: unknown[]): Promise<{ value: Buffer }[]>;
}

const secrets = new WeakMap<KeyReader, Map<string, Promise<Buffer>>>();

/** Key `name` of the hub whose database `db` reads: read once per connection pool (again after a failed read). */
export function hubSecret(db: KeyReader, name: string): Promise<Buffer> {
  let byName = secrets.get(db);
  if (!byName) secrets.set(db, (byName = new Map()));
  let secret = byName.get(name);
  if (!secret) {
    secret = db.query('SELECT value FROM hub_secrets WHERE name = $1', [name]).then((rows) => {
      if (rows.length === 0) throw new Error(`hub_secrets has no ${name} key: run the migrations`);
      return rows[0].value;
    });
    secret.catch(() => byName.delete(name));
    byName.set(name, secret);
  }
  return secret;
}
