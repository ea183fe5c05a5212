/**
 * `rollcall.connections.deprovisioning`: a connection's safe deprovisioning — its mode and guard,
 * and the review of the changes it held (docs/safe-deprovisioning.md).
 */
import type { ApiClient } from './api-client.js';
import type { Json, RequestBody } from './operations.js';
import { cursorPaged } from './pagination.js';

/** The mode, the guard, whether it tripped, what is held and what the guard counts now. */
export type DeprovisioningSettings = Json<'/api/v1/connections/{id}/deprovisioning', 'get'>;
/** The mode and/or guard fields to change. */
export type DeprovisioningUpdate = RequestBody<'/api/v1/connections/{id}/deprovisioning', 'put'>;
/** A held (or discarded) deprovisioning change. */
export type HeldChange = Json<'/api/v1/connections/{id}/held-changes', 'get'>['items'][number];

export class DeprovisioningApi {
  constructor(private readonly api: ApiClient) {}

  get(connectionId: string): Promise<DeprovisioningSettings> {
    return this.api.call('getDeprovisioning', { path: { id: connectionId } });
  }

  /** Sets the mode or guard fields given; the others keep their values. */
  set(connectionId: string, body: DeprovisioningUpdate): Promise<DeprovisioningSettings> {
    return this.api.call('setDeprovisioning', { path: { id: connectionId }, body });
  }

  /** The held changes (or, with `discarded`, the discarded ones whose users still differ), oldest first. */
  heldChanges(connectionId: string, options: { status?: 'held' | 'discarded'; pageSize?: number } = {}): AsyncGenerator<HeldChange, void, undefined> {
    return cursorPaged((cursor) => this.api.call('listHeldChanges', { path: { id: connectionId }, query: { status: options.status, cursor, limit: options.pageSize } }));
  }

  /** Releases held changes (these, or all): the app gets them now, in the order they were held. */
  release(connectionId: string, ids?: string[]): Promise<Json<'/api/v1/connections/{id}/held-changes/release', 'post'>> {
    return this.api.call('releaseHeldChanges', { path: { id: connectionId }, body: ids === undefined ? {} : { ids } });
  }

  /** Discards held changes (these, or all): the app keeps its view until the IdP next changes those users. */
  discard(connectionId: string, ids?: string[]): Promise<Json<'/api/v1/connections/{id}/held-changes/discard', 'post'>> {
    return this.api.call('discardHeldChanges', { path: { id: connectionId }, body: ids === undefined ? {} : { ids } });
  }
}
