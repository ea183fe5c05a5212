/**
 * Case-exact substring tests on PostgreSQL: its LIKE is case-sensitive, so it serves exact tests
 * as it serves the lower-cased ones, and the pg_trgm indexes (migration 0013) can answer it.
 */
import { likeMatch, type TextMatch } from '../text-match.js';

export const postgresTextMatch: TextMatch = likeMatch;
