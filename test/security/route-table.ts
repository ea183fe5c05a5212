/** Every route of a built app, read from Fastify's own route tree, so new routes are walked automatically. */
import type { FastifyInstance } from 'fastify';

/** One route: a method and its URL template (`/api/v1/users/:id`, `/docs/*`). */
export interface Route {
  method: string;
  url: string;
}

/**
 * Parses `app.printRoutes({ commonPrefix: false })`: one line per node, indented by depth, each
 * child naming the rest of its path and the methods it has (`├── /:id (GET, HEAD, DELETE)`).
 */
export function routeTable(app: FastifyInstance): Route[] {
  const routes: Route[] = [];
  const stack: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^((?:│ {3}| {4})*)(?:├── |└── )(.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!match) continue;
    const depth = match[1].length / 4;
    const segment = match[2] === '*' ? '/*' : match[2];
    stack.length = depth;
    const url = (stack[depth - 1] ?? '') + segment;
    stack[depth] = url;
    for (const method of match[3]?.split(', ') ?? []) routes.push({ method, url });
  }
  return routes;
}
