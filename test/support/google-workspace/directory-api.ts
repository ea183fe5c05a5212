/**
 * The part of the Directory API (admin/directory/v1) Rollcall reads: users.list and users.get,
 * groups.list and groups.get, members.list and members.get, with Google's checks in Google's order —
 * the access token, its scopes, the parameters, then whether the acting user is an admin
 * (https://developers.google.com/admin-sdk/directory/reference/rest/v1/users/list and siblings).
 */
import type { DirectoryData, UserOrder } from './directory-data.js';
import { etagOf, type Projection } from './directory-resources.js';
import { ApiError, apiErrors, type InjectedFailure } from './errors.js';
import type { Answer } from './http-answer.js';
import { maxResultsOf, pageOf } from './paging.js';
import type { AccessToken, TokenStore } from './tokens.js';

/** A Directory API request as the stand-in logged it. */
export interface DirectoryRequest {
  method: string;
  path: string;
  query: Record<string, string>;
}

type Query = Record<string, string>;

const AUTH = 'https://www.googleapis.com/auth/';
/** The scopes each method accepts, from the reference's "Authorization scopes". */
const USER_SCOPES = [`${AUTH}admin.directory.user`, `${AUTH}admin.directory.user.readonly`, `${AUTH}cloud-platform`];
const GROUP_SCOPES = [`${AUTH}admin.directory.group`, `${AUTH}admin.directory.group.readonly`];
const MEMBER_SCOPES = [...GROUP_SCOPES, `${AUTH}admin.directory.group.member`, `${AUTH}admin.directory.group.member.readonly`];

interface Route {
  pattern: RegExp;
  scopes: string[];
  run: (query: Query, keys: string[], actor: string) => unknown;
}

export class DirectoryApi {
  readonly requests: DirectoryRequest[] = [];
  private readonly failures: { remaining: number; kind: InjectedFailure; path?: RegExp }[] = [];
  private readonly routes: Route[] = [
    { pattern: /^\/admin\/directory\/v1\/users$/, scopes: USER_SCOPES, run: (query, _keys, actor) => this.listUsers(query, actor) },
    { pattern: /^\/admin\/directory\/v1\/users\/([^/]+)$/, scopes: USER_SCOPES, run: (query, [key], actor) => this.getUser(query, key, actor) },
    { pattern: /^\/admin\/directory\/v1\/groups$/, scopes: GROUP_SCOPES, run: (query, _keys, actor) => this.listGroups(query, actor) },
    { pattern: /^\/admin\/directory\/v1\/groups\/([^/]+)$/, scopes: GROUP_SCOPES, run: (_query, [key], actor) => this.getGroup(key, actor) },
    { pattern: /^\/admin\/directory\/v1\/groups\/([^/]+)\/members$/, scopes: MEMBER_SCOPES, run: (query, [key], actor) => this.listMembers(query, key, actor) },
    { pattern: /^\/admin\/directory\/v1\/groups\/([^/]+)\/members\/([^/]+)$/, scopes: MEMBER_SCOPES, run: (_query, [group, member], actor) => this.getMember(group, member, actor) },
  ];
  constructor(
    private readonly directory: DirectoryData,
    private readonly tokens: TokenStore,
  ) {}

  /** The next `count` requests whose path matches `path` (all, without it) answer with `kind`. */
  failNext(count: number, kind: InjectedFailure, path?: RegExp): void {
    this.failures.push({ remaining: count, kind, ...(path ? { path } : {}) });
  }

  handle(method: string, url: URL, authorization: string | undefined): Answer {
    const query = Object.fromEntries(url.searchParams);
    this.requests.push({ method, path: url.pathname, query });
    try {
      const route = this.routes.find((candidate) => candidate.pattern.test(url.pathname));
      if (!route || method !== 'GET') throw apiErrors.noSuchMethod();
      const failure = this.failures.find((candidate) => candidate.remaining > 0 && (candidate.path?.test(url.pathname) ?? true));
      if (failure) {
        failure.remaining--;
        throw apiErrors.injected(failure.kind);
      }
      const token = this.authenticate(authorization);
      if (!route.scopes.some((scope) => token.scopes.has(scope))) throw apiErrors.insufficientScopes();
      const keys = (route.pattern.exec(url.pathname) ?? []).slice(1).map((key) => decodeURIComponent(key));
      return { status: 200, json: route.run(query, keys, token.user) };
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      // Google names the realm to ask for a token when it refuses one (RFC 6750 §3).
      const headers: Record<string, string> = error.status === 401 ? { 'www-authenticate': 'Bearer realm="https://accounts.google.com/"' } : {};
      return { status: error.status, json: error.body, headers };
    }
  }

  private authenticate(authorization: string | undefined): AccessToken {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    const token = match ? this.tokens.accessToken(match[1]) : undefined;
    if (!token) throw apiErrors.unauthenticated();
    return token;
  }

  /** Only admins read the directory; checked after the parameters, as Google does. */
  private requireAdmin(actor: string): void {
    if (!this.directory.isAdmin(actor)) throw apiErrors.notAuthorized();
  }

  /** `customer` or `domain`, one of which list methods need; answers the domain to keep, if any. */
  private scopeOf(query: Query): string | undefined {
    const { customer, domain } = query;
    if (!customer && !domain) throw apiErrors.badRequest();
    if (customer && customer !== 'my_customer' && customer !== this.directory.customerId) throw apiErrors.notAuthorized();
    if (domain && domain.toLowerCase() !== this.directory.domain) {
      const known = this.directory.sortedUsers('email', false).some(({ item }) => item.primaryEmail.toLowerCase().endsWith(`@${domain.toLowerCase()}`));
      if (!known) throw apiErrors.notAuthorized();
    }
    return domain?.toLowerCase();
  }

  private projectionOf(query: Query): { projection: Projection; mask: string[] } {
    const projection = (query.projection ?? 'basic').toLowerCase();
    if (projection !== 'basic' && projection !== 'full' && projection !== 'custom') throw apiErrors.invalidValue('projection', query.projection);
    const mask = (query.customFieldMask ?? '').split(',').filter(Boolean);
    if (projection === 'custom' && mask.length === 0) throw apiErrors.invalidInput('customFieldMask');
    if (query.viewType && query.viewType !== 'admin_view') throw apiErrors.notImplemented(`viewType=${query.viewType}`);
    return { projection, mask };
  }

  private descending(query: Query): boolean {
    const order = (query.sortOrder ?? 'ASCENDING').toUpperCase();
    if (order !== 'ASCENDING' && order !== 'DESCENDING') throw apiErrors.invalidValue('sort_order', query.sortOrder);
    return order === 'DESCENDING';
  }

  private listUsers(query: Query, actor: string) {
    for (const unsupported of ['query', 'event'] as const) if (query[unsupported]) throw apiErrors.notImplemented(`users.list ${unsupported}`);
    const domain = this.scopeOf(query);
    const maxResults = maxResultsOf(query.maxResults, 100, 500);
    const orderBy = query.orderBy ?? 'email';
    if (!['email', 'givenName', 'familyName'].includes(orderBy)) throw apiErrors.invalidValue('order_by', orderBy);
    const descending = this.descending(query);
    const { projection, mask } = this.projectionOf(query);
    const deleted = query.showDeleted === 'true';
    this.requireAdmin(actor);
    let list = this.directory.sortedUsers(orderBy as UserOrder, deleted);
    if (domain) list = list.filter(({ item }) => item.primaryEmail.toLowerCase().endsWith(`@${domain}`));
    const listing = `users|${orderBy}|${descending}|${deleted}|${domain ?? ''}`;
    const page = pageOf(list, { listing, descending, maxResults, pageToken: query.pageToken });
    const users = page.items.map((user) => this.directory.renderUser(user, projection, mask));
    return listAnswer('admin#directory#users', 'users', users, page.nextPageToken);
  }

  private getUser(query: Query, key: string, actor: string) {
    const { projection, mask } = this.projectionOf(query);
    this.requireAdmin(actor);
    const user = this.directory.findUser(key);
    if (!user) throw apiErrors.notFound('userKey');
    return this.directory.renderUser(user, projection, mask);
  }

  private listGroups(query: Query, actor: string) {
    if (query.query) throw apiErrors.notImplemented('groups.list query');
    const domain = query.userKey ? undefined : this.scopeOf(query);
    const maxResults = maxResultsOf(query.maxResults, 200, 200);
    if (query.orderBy && query.orderBy !== 'email') throw apiErrors.invalidValue('order_by', query.orderBy);
    const descending = this.descending(query);
    this.requireAdmin(actor);
    let list = this.directory.sortedGroups();
    if (domain) list = list.filter(({ item }) => item.email.toLowerCase().endsWith(`@${domain}`));
    if (query.userKey) {
      // The groups the user (or group) is a direct member of.
      const memberId = this.directory.findUser(query.userKey)?.id ?? this.directory.findGroup(query.userKey)?.id;
      if (!memberId) throw apiErrors.notFound('userKey');
      const groupIds = this.directory.groupIdsHolding(memberId);
      list = list.filter(({ item }) => groupIds.has(item.id));
    }
    const listing = `groups|${descending}|${domain ?? ''}|${query.userKey ?? ''}`;
    const page = pageOf(list, { listing, descending, maxResults, pageToken: query.pageToken });
    const groups = page.items.map((group) => this.directory.renderGroup(group));
    return listAnswer('admin#directory#groups', 'groups', groups, page.nextPageToken);
  }

  private getGroup(key: string, actor: string) {
    this.requireAdmin(actor);
    const group = this.directory.findGroup(key);
    if (!group) throw apiErrors.notFound('groupKey');
    return this.directory.renderGroup(group);
  }

  private listMembers(query: Query, key: string, actor: string) {
    const maxResults = maxResultsOf(query.maxResults, 200, 200);
    const roles = (query.roles ?? '').split(',').filter(Boolean).map((role) => role.toUpperCase());
    const wrong = roles.find((role) => !['OWNER', 'MANAGER', 'MEMBER'].includes(role));
    if (wrong) throw apiErrors.invalidInput(`roles=${wrong}`);
    const derived = query.includeDerivedMembership === 'true';
    this.requireAdmin(actor);
    const group = this.directory.findGroup(key);
    if (!group) throw apiErrors.notFound('groupKey');
    let list = this.directory.memberList(group.id, derived);
    if (roles.length) list = list.filter(({ item }) => roles.includes(item.role));
    const listing = `members|${group.id}|${derived}|${roles.join(',')}`;
    const page = pageOf(list, { listing, descending: false, maxResults, pageToken: query.pageToken });
    return listAnswer('admin#directory#members', 'members', page.items, page.nextPageToken);
  }

  private getMember(groupKey: string, memberKey: string, actor: string) {
    this.requireAdmin(actor);
    const group = this.directory.findGroup(groupKey);
    if (!group) throw apiErrors.notFound('groupKey');
    const wanted = memberKey.toLowerCase();
    const member = this.directory.memberList(group.id, false).find(({ item }) => item.id === memberKey || item.email?.toLowerCase() === wanted);
    if (!member) throw apiErrors.notFound('memberKey');
    return member.item;
  }
}

/** A list answer as Google shapes it: the items field left out when empty, no token on the last page. */
function listAnswer(kind: string, field: string, items: unknown[], nextPageToken: string | undefined) {
  return {
    kind,
    etag: etagOf([kind, items.map((item) => (item as { etag: string }).etag)]),
    ...(items.length ? { [field]: items } : {}),
    ...(nextPageToken ? { nextPageToken } : {}),
  };
}
