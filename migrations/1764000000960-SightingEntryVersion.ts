import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A sighting keeps the version of its entry that its reporter saw. A reporter that later loses
 * the entry is shown it as that version stood; choosing the version by time could pick the very
 * change that was committing while the sighting was reported (the one that revoked the reporter).
 * Sightings reported before keep being matched by time (entry_version NULL).
 */
export class SightingEntryVersion1764000000960 implements MigrationInterface {
  name = 'SightingEntryVersion1764000000960';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE sightings ADD COLUMN entry_version int`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE sightings DROP COLUMN entry_version`);
  }
}
