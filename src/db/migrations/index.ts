import type { Migration } from 'kysely';
import * as initial from './0001-initial.js';
import * as eventsWebhooksLogs from './0002-events-webhooks-logs.js';
import * as directoryIndexes from './0003-directory-indexes.js';
import * as webhookFailingSince from './0004-webhook-failing-since.js';
import * as rolesSelfServiceAudit from './0005-roles-self-service-audit.js';
import * as ipAllowlistsJobLeases from './0006-ip-allowlists-job-leases.js';
import * as uiSessions from './0007-ui-sessions.js';
import * as scimCounts from './0008-scim-counts.js';
import * as scimOrderBlocks from './0009-scim-order-blocks.js';
import * as sqliteInsertCounting from './0010-sqlite-insert-counting.js';
import * as postgresMemberGroupCheck from './0011-postgres-member-group-check.js';
import * as scimListVersions from './0012-scim-list-versions.js';
import * as scimSubstringSearch from './0013-scim-substring-search.js';
import * as scimAccessVersion from './0014-scim-access-version.js';
import * as scimRateBuckets from './0015-scim-rate-buckets.js';
import * as connectionCompatibility from './0016-connection-compatibility.js';
import * as memberCountsLogConnectionNames from './0017-member-counts-log-connection-names.js';
import * as userAttributes from './0018-user-attributes.js';
import * as googleWorkspace from './0019-google-workspace.js';
import * as safeDeprovisioning from './0020-safe-deprovisioning.js';

/** Every migration, in order. Names never change once released. */
export const migrations: Record<string, Migration> = {
  '0001-initial': initial,
  '0002-events-webhooks-logs': eventsWebhooksLogs,
  '0003-directory-indexes': directoryIndexes,
  '0004-webhook-failing-since': webhookFailingSince,
  '0005-roles-self-service-audit': rolesSelfServiceAudit,
  '0006-ip-allowlists-job-leases': ipAllowlistsJobLeases,
  '0007-ui-sessions': uiSessions,
  '0008-scim-counts': scimCounts,
  '0009-scim-order-blocks': scimOrderBlocks,
  '0010-sqlite-insert-counting': sqliteInsertCounting,
  '0011-postgres-member-group-check': postgresMemberGroupCheck,
  '0012-scim-list-versions': scimListVersions,
  '0013-scim-substring-search': scimSubstringSearch,
  '0014-scim-access-version': scimAccessVersion,
  '0015-scim-rate-buckets': scimRateBuckets,
  '0016-connection-compatibility': connectionCompatibility,
  '0017-member-counts-log-connection-names': memberCountsLogConnectionNames,
  '0018-user-attributes': userAttributes,
  '0019-google-workspace': googleWorkspace,
  '0020-safe-deprovisioning': safeDeprovisioning,
};
