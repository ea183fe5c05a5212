/**
 * Upkeep on SQLite: its planner statistics change only when something runs ANALYZE, so an hourly
 * `PRAGMA optimize` refreshes those of tables whose size changed a lot (src/db/sqlite/statistics.ts).
 */
import { sqliteOptimizeJob } from './statistics.js';
import type { Upkeep } from '../upkeep.js';

export const sqliteUpkeep: Upkeep = {
  jobs: (db) => [sqliteOptimizeJob(db)],
};
