/**
 * /Users and /Groups (RFC 7644 §3.3–§3.6): one route table for both resource types, since they
 * differ only in their service and in what PATCH answers.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { matchesIfNoneMatch } from '../service/preconditions.js';
import type { GroupService } from '../service/group-service.js';
import type { Rendered, UserService } from '../service/user-service.js';
import { parseProjection } from '../resources/projection.js';
import { etagOf } from '../resources/render.js';
import type { ResourceTypeName } from '../schema/index.js';
import { listResponse, parseListParams, searchRequestParams, type RawListParams } from './list-params.js';
import { filterOptionsOf, scimBaseUrl, scopeOf } from './request-scope.js';
import { streamWithMembers } from './stream-members.js';

type IdRequest = FastifyRequest<{ Params: { connectionId: string; id: string }; Querystring: Record<string, string | undefined> }>;

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/** Sends a single resource with its ETag (RFC 7644 §3.14); a large group's members stream. */
function sendResource(reply: FastifyReply, rendered: Rendered, status = 200) {
  void reply.code(status).header('etag', etagOf(rendered.version));
  if (rendered.memberPages) return reply.send(streamWithMembers(rendered.resource, rendered.memberPages));
  return reply.send(rendered.resource);
}

/** `Prefer: return=minimal` (RFC 7240) asks for no body; `return=representation` for one. */
function prefers(request: FastifyRequest): 'minimal' | 'representation' | undefined {
  const prefer = header(request, 'prefer')?.toLowerCase() ?? '';
  if (prefer.includes('return=minimal')) return 'minimal';
  if (prefer.includes('return=representation')) return 'representation';
  return undefined;
}

/** Registers the endpoint of one resource type. */
export function registerResourceRoutes(app: FastifyInstance, type: ResourceTypeName, service: UserService | GroupService): void {
  const path = type === 'User' ? '/Users' : '/Groups';

  app.post(path, async (request, reply) => {
    const rendered = await service.create(scopeOf(request), scimBaseUrl(request), request.body);
    return sendResource(reply.header('location', (rendered.resource.meta as { location: string }).location), rendered, 201);
  });

  const list = async (request: FastifyRequest, raw: RawListParams) => {
    const params = parseListParams(raw, filterOptionsOf(request));
    const { total, resources } = await service.list(scopeOf(request), scimBaseUrl(request), params.query, params.projection);
    return listResponse(total, params.startIndex, resources);
  };
  app.get<{ Querystring: RawListParams }>(path, (request) => list(request, request.query));
  app.post(`${path}/.search`, (request) => list(request, searchRequestParams(request.body)));

  app.get(`${path}/:id`, async (request: IdRequest, reply) => {
    const projection = parseProjection(request.query.attributes, request.query.excludedAttributes);
    const rendered = await service.get(scopeOf(request), scimBaseUrl(request), request.params.id, projection);
    if (matchesIfNoneMatch(header(request, 'if-none-match'), rendered.version)) {
      return reply.code(304).header('etag', etagOf(rendered.version)).send();
    }
    return sendResource(reply, rendered);
  });

  app.put(`${path}/:id`, async (request: IdRequest, reply) =>
    sendResource(reply, await service.replace(scopeOf(request), scimBaseUrl(request), request.params.id, request.body, header(request, 'if-match'))),
  );

  app.patch(`${path}/:id`, async (request: IdRequest, reply) => {
    const scope = scopeOf(request);
    const ifMatch = header(request, 'if-match');
    const prefer = prefers(request);
    if (type === 'User') {
      const rendered = await (service as UserService).patch(scope, scimBaseUrl(request), request.params.id, request.body, ifMatch);
      if (prefer === 'minimal') return reply.code(204).header('etag', etagOf(rendered.version)).send();
      return sendResource(reply, rendered);
    }
    // Groups answer 204 (what Entra ID expects and Okta accepts; RFC 7644 §3.5.2 allows it), so a
    // membership change never renders a 100,000-member list. Asking for attributes, or for a
    // representation, returns the group as 200; so does a connection whose `groupPatchResponse` is
    // 200, with members only up to its `groupPatchMaxMembers` (src/connections/compatibility.ts).
    const { attributes, excludedAttributes } = request.query;
    const asked = prefer === 'representation' || attributes !== undefined || excludedAttributes !== undefined;
    const byConnection = !asked && prefer !== 'minimal' && request.scim?.compatibility.groupPatchResponse === '200';
    const rendered = await (service as GroupService).patch(
      scope,
      scimBaseUrl(request),
      request.params.id,
      request.body,
      ifMatch,
      asked ? parseProjection(attributes, excludedAttributes) : { exclude: byConnection ? [] : [{ attr: 'members' }] },
      byConnection ? request.scim?.compatibility.groupPatchMaxMembers : undefined,
    );
    if (!asked && !byConnection) return reply.code(204).header('etag', etagOf(rendered.version)).send();
    return sendResource(reply, rendered);
  });

  app.delete(`${path}/:id`, async (request: IdRequest, reply) => {
    await service.delete(scopeOf(request), request.params.id, header(request, 'if-match'));
    return reply.code(204).send();
  });
}
