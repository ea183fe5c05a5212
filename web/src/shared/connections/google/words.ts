/** A Google Workspace connection and its syncs in words: status, trigger, outcome, what changed, how long. */
import { plural } from '../../format.js';
import type { GoogleStatus, SyncCounts, SyncRecord } from './types.js';

type Tone = 'neutral' | 'good' | 'bad' | 'warn';

export const STATUS_WORDS: Record<GoogleStatus, { label: string; tone: Tone }> = {
  needs_authorization: { label: 'Needs authorization', tone: 'neutral' },
  active: { label: 'Active', tone: 'good' },
  needs_reauthorization: { label: 'Needs re-authorization', tone: 'warn' },
};

export const TRIGGER_WORDS: Record<SyncRecord['trigger'], string> = {
  schedule: 'Schedule',
  // "Sync now", or a changed selection.
  manual: 'Manual',
  authorization: 'Authorization',
};

export const SYNC_STATUS_WORDS: Record<SyncRecord['status'], { label: string; tone: Tone }> = {
  running: { label: 'Running', tone: 'neutral' },
  succeeded: { label: 'Succeeded', tone: 'good' },
  failed: { label: 'Failed', tone: 'bad' },
  interrupted: { label: 'Interrupted', tone: 'warn' },
};

/** Each count with its words, in the order people ask about them. */
const COUNT_WORDS: [keyof SyncCounts, string, string][] = [
  ['usersCreated', 'user', 'created'],
  ['usersUpdated', 'user', 'updated'],
  ['usersDeactivated', 'user', 'deactivated'],
  ['usersDeleted', 'user', 'deleted'],
  ['groupsCreated', 'group', 'created'],
  ['groupsUpdated', 'group', 'updated'],
  ['groupsDeleted', 'group', 'deleted'],
  ['membersAdded', 'membership', 'added'],
  ['membersRemoved', 'membership', 'removed'],
];

/** "30 users created, 4 groups created, 40 memberships added"; "No changes" when nothing changed. */
export function describeCounts(counts: SyncCounts): string {
  const parts = COUNT_WORDS.filter(([key]) => counts[key] > 0).map(([key, noun, verb]) => `${plural(counts[key], noun)} ${verb}`);
  return parts.length > 0 ? parts.join(', ') : 'No changes';
}

/** "2 min 5 s", "850 ms"; undefined while the sync runs. */
export function syncDuration(sync: Pick<SyncRecord, 'startedAt' | 'finishedAt'>): string | undefined {
  if (!sync.finishedAt) return undefined;
  const ms = new Date(sync.finishedAt).getTime() - new Date(sync.startedAt).getTime();
  if (!Number.isFinite(ms) || ms < 0) return undefined;
  if (ms < 1000) return `${ms} ms`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  return seconds % 60 === 0 ? `${minutes} min` : `${minutes} min ${seconds % 60} s`;
}

/** "every 15 minutes", "every hour", "every 2 hours 30 minutes". */
export function describeInterval(minutes: number): string {
  if (minutes < 60) return `every ${plural(minutes, 'minute')}`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  const head = hours === 1 ? 'every hour' : `every ${plural(hours, 'hour')}`;
  return rest === 0 ? head : `${head} ${plural(rest, 'minute')}`;
}
