/**
 * Frontegg's paths beyond the configuration API: the groups API subset, and the `/frontegg` prefix
 * under which Frontegg serves the self-service side of its API on the vendor's app domain (public
 * clients such as Materialize's Terraform provider call `/frontegg/directory/resources/v1/…` and
 * `/frontegg/identity/resources/groups/v1` with the signed-in user's JWT). The prefixed routes are
 * the same route tables registered once more under the prefix: the same handlers, schemas,
 * self-service permissions and error bodies. Register inside the management scope, whose guard
 * they need.
 */
import type { FastifyPluginAsync } from 'fastify';
import { connectionRoutes } from '../connections/routes.js';
import type { ConnectionService } from '../connections/service.js';
import type { DirectoryService } from '../directory/service.js';
import type { GroupRoleService } from '../roles/group-roles.js';
import { fronteggGroupRoutes } from './group-routes.js';
import { FronteggGroupService } from './groups.js';

/** The prefix of Frontegg's self-service paths on the vendor's app domain. */
export const FRONTEGG_PREFIX = '/frontegg';

/** What the Frontegg-compatible routes need. */
export interface FronteggRouteOptions {
  connections: ConnectionService;
  directory: DirectoryService;
  groupRoles: GroupRoleService;
}

export const fronteggRoutes: FastifyPluginAsync<FronteggRouteOptions> = async (app, { connections, directory, groupRoles }) => {
  const groups = new FronteggGroupService(directory, groupRoles);
  await app.register(fronteggGroupRoutes, { groups });

  await app.register(
    async (prefixed) => {
      // The OpenAPI document shows each route once, without the prefix.
      prefixed.addHook('onRoute', (route) => {
        route.schema = { ...route.schema, hide: true };
      });
      await prefixed.register(connectionRoutes, { connections });
      await prefixed.register(fronteggGroupRoutes, { groups });
    },
    { prefix: FRONTEGG_PREFIX },
  );
};
