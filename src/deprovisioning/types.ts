/** Safe deprovisioning: the modes, the guard, and the changes it holds (docs/safe-deprovisioning.md). */

export const DEPROVISIONING_MODES = ['automatic', 'review'] as const;
/** `automatic`: applied unless the guard trips. `review` (append-only): every deprovisioning waits for review. */
export type DeprovisioningMode = (typeof DEPROVISIONING_MODES)[number];

export const CHANGE_KINDS = ['deactivation', 'deletion', 'role_removal'] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

export interface Guard {
  enabled: boolean;
  /** Trips when more than this many users… */
  maxUsers: number;
  /** …and more than this percentage of the connection's active users… */
  maxPercent: number;
  /** …were deprovisioned within this many minutes. */
  windowMinutes: number;
}

/**
 * On by default, and out of reach of a normal day: a 20-person company cannot pass 50 users, and a
 * 20,000-person one would have to lose 4,000 people (20 %) within an hour. docs/safe-deprovisioning.md
 * explains the choice.
 */
export const DEFAULT_GUARD: Guard = { enabled: true, maxUsers: 50, maxPercent: 20, windowMinutes: 60 };

export const GUARD_LIMITS = {
  maxUsers: { minimum: 0, maximum: 1_000_000 },
  maxPercent: { minimum: 0, maximum: 100 },
  windowMinutes: { minimum: 1, maximum: 10_080 },
} as const;

export interface DeprovisioningSettings {
  mode: DeprovisioningMode;
  guard: Guard;
  tripped: boolean;
  trippedAt: string | null;
  /** Changes waiting for review. */
  held: number;
  /** Users whose app view differs from the IdP after a discard. */
  differing: number;
  /** What the guard counts now. */
  window: { since: string; deprovisioned: number; activeUsers: number };
}

export interface SettingsUpdate {
  mode?: DeprovisioningMode;
  guard?: Partial<Guard>;
}

/** A held change as the API lists it. */
export interface HeldChange {
  id: string;
  userId: string;
  userName: string;
  displayName: string | null;
  change: ChangeKind;
  groupId: string | null;
  groupName: string | null;
  roles: string[];
  at: string;
  requestId: string | null;
  status: 'held' | 'discarded';
}
