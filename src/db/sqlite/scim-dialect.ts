/** The SCIM stores on SQLite: one writer at a time, and a query costs no round trip. */
import type { ScimDialect } from '../scim-dialect.js';
import { insertCounted } from './resource-counting.js';
import { sqliteScimStorage } from './scim-storage.js';

export const sqliteScim: ScimDialect = {
  storage: sqliteScimStorage,
  insertResource: insertCounted,
  // One write transaction runs at a time: the row cannot change under it.
  lockForWrite: (select) => select,
  // Another query for the groups costs no round trip: the service reads them with UserStore.groupsOf.
  usersWithGroups: (parts) => parts.plain(),
  // A write transaction (BEGIN IMMEDIATE) holds the whole file already.
  lockBlocks: () => Promise.resolve(),
};
