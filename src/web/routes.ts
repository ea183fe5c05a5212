/**
 * Serves the web UI: the dashboard at /dashboard/*, the self-service portal at /portal/*, their
 * assets at /assets/*. Both are single-page apps, so every path below them answers the page and
 * the browser-side router takes over. The dashboard may never be framed; the portal may be framed
 * by the origins in FRAME_ANCESTORS (it is what vendors embed).
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { notFound } from '../http/api-errors.js';
import { WebBuild, type WebAsset } from './assets.js';

/** Where the build is. */
export interface WebRouteOptions {
  root: string;
}

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Rollcall</title>
<p>The web UI has not been built. Run <code>npm run build</code> (or <code>npm start</code>, which builds it), then reload.</p>`;

function send(request: FastifyRequest, reply: FastifyReply, asset: WebAsset): FastifyReply {
  void reply.header('content-type', asset.type).header('etag', asset.etag).header('vary', 'accept-encoding');
  void reply.header('cache-control', asset.immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
  if (request.headers['if-none-match'] === asset.etag) return reply.code(304).send();
  if (asset.gzip && /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''))) {
    return reply.header('content-encoding', 'gzip').send(asset.gzip);
  }
  return reply.send(asset.body);
}

export const webRoutes: FastifyPluginAsync<WebRouteOptions> = async (app, options) => {
  const build = new WebBuild(options.root);

  const page = (name: 'dashboard' | 'portal') => async (request: FastifyRequest, reply: FastifyReply) => {
    const asset = build.get(`/${name}.html`, true);
    if (!asset) return reply.code(503).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(NOT_BUILT);
    return send(request, reply, asset);
  };

  const hide = { schema: { hide: true } };
  // The security headers (src/http/security-headers.ts) forbid framing the dashboard, whatever FRAME_ANCESTORS says.
  const dashboard = { ...hide, config: { neverFramed: true } };
  app.get('/', hide, async (_request, reply) => reply.redirect('/dashboard', 302));
  app.get('/dashboard', dashboard, page('dashboard'));
  app.get('/dashboard/*', dashboard, page('dashboard'));
  app.get('/portal', hide, page('portal'));
  app.get('/portal/*', hide, page('portal'));
  // Vite writes every asset flat into assets/ under a hashed name.
  app.get<{ Params: { file: string } }>('/assets/:file', hide, async (request, reply) => {
    const asset = build.get(`/assets/${request.params.file}`);
    if (!asset) throw notFound('No such asset');
    return send(request, reply, asset);
  });
};
