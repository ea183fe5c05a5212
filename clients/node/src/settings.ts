/** `rollcall.settings` and `rollcall.userTokens`: the builder settings, and tokens for the self-service portal. */
import type { ApiClient } from './api-client.js';
import type { Json, RequestBody } from './operations.js';

/** The builder settings: self-service switches and the portal's look. */
export type Settings = Json<'/api/v1/settings', 'get'>;
/** The settings to change. */
export type SettingsUpdate = RequestBody<'/api/v1/settings', 'patch'>;
/** What a user token is minted for: the tenant, the user, and what they may do. */
export type NewUserToken = RequestBody<'/api/v1/user-tokens', 'post'>;
/** A minted user token with the portal URL that opens with it. */
export type CreatedUserToken = Json<'/api/v1/user-tokens', 'post'>;

/** Reads and changes the builder settings. */
export class SettingsApi {
  constructor(private readonly api: ApiClient) {}

  /** The settings. */
  get(): Promise<Settings> {
    return this.api.call('getSettings', {});
  }

  /** Changes the settings given; answers all of them. */
  update(body: SettingsUpdate): Promise<Settings> {
    return this.api.call('updateSettings', { body });
  }
}

/** Mints user tokens for the self-service portal. */
export class UserTokens {
  constructor(private readonly api: ApiClient) {}

  /** A user token for one of a tenant's admins, and the portal URL that opens with it. */
  create(body: NewUserToken): Promise<CreatedUserToken> {
    return this.api.call('createUserToken', { body });
  }
}
