/**
 * Upkeep on PostgreSQL: none on a timer. Autovacuum analyzes and vacuums tables by itself, and the
 * SCIM writes ask for more as they go (src/db/postgres/statistics.ts).
 */
import type { Upkeep } from '../upkeep.js';

export const postgresUpkeep: Upkeep = {
  jobs: () => [],
};
