/**
 * POST /.search at the service root (RFC 7644 §3.4.3): one result list over every resource type,
 * Users first, then Groups, paged as if they were one sequence.
 */
import type { FastifyInstance } from 'fastify';
import type { GroupService } from '../service/group-service.js';
import type { UserService } from '../service/user-service.js';
import { listResponse, parseListParams, searchRequestParams } from './list-params.js';
import { filterOptionsOf, scimBaseUrl, scopeOf } from './request-scope.js';

export function registerRootSearch(app: FastifyInstance, users: UserService, groups: GroupService): void {
  app.post('/.search', async (request) => {
    const { query, projection, startIndex } = parseListParams(searchRequestParams(request.body), filterOptionsOf(request));
    const scope = scopeOf(request);
    const base = scimBaseUrl(request);
    const userPage = await users.list(scope, base, query, projection);
    const groupOffset = Math.max(0, query.offset - userPage.total);
    const groupLimit = query.limit - userPage.resources.length;
    const groupPage = await groups.list(scope, base, { ...query, offset: groupOffset, limit: groupLimit }, projection);
    return listResponse(userPage.total + groupPage.total, startIndex, [...userPage.resources, ...groupPage.resources]);
  });
}
