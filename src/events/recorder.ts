/** Collects the events of one transaction, written just before it commits (the transactional outbox). */
import type { EventType, NewEvent } from './types.js';

export class EventRecorder {
  private readonly events: NewEvent[] = [];

  /** `enabled` is false for staging connections (syncToUserManagement off): they emit nothing. */
  constructor(readonly enabled: boolean) {}

  record(type: EventType, resourceId: string | null, data: Record<string, unknown>): void {
    if (this.enabled) this.events.push({ type, resourceId, data });
  }

  /** The events recorded so far, in order. */
  take(): NewEvent[] {
    return this.events.splice(0);
  }
}
