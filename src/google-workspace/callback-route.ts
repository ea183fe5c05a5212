/**
 * GET /api/v1/google-workspace/oauth/callback: where Google sends the admin's browser after consent.
 * No token: the single-use `state` Rollcall put in the consent URL names the connection. The browser is
 * sent on to the page that started the consent, told whether it worked.
 */
import type { FastifyPluginAsync } from 'fastify';
import { validationFailed } from '../http/api-errors.js';
import { errorResponses } from '../http/schemas.js';
import type { GoogleWorkspaceService } from './service.js';

export const OAUTH_CALLBACK_PATH = '/api/v1/google-workspace/oauth/callback';

export const googleCallbackRoute: FastifyPluginAsync<{ google: GoogleWorkspaceService }> = async (app, { google }) => {
  app.get<{ Querystring: { code?: string; state?: string; error?: string } }>(
    OAUTH_CALLBACK_PATH,
    {
      schema: {
        tags: ['google workspace'],
        summary: "Google's OAuth redirect after a Workspace admin's consent",
        description: 'Register `{PUBLIC_URL}/api/v1/google-workspace/oauth/callback` as an authorized redirect URI of the OAuth client. Answers 302 to the page that started the consent; 400 for an unknown, used or expired state.',
        querystring: {
          type: 'object',
          properties: { code: { type: 'string', maxLength: 2000 }, state: { type: 'string', maxLength: 200 }, error: { type: 'string', maxLength: 200 }, scope: { type: 'string', maxLength: 2000 } },
        },
        response: { 302: { type: 'null', description: 'To the page that started the consent' }, ...errorResponses(400) },
      },
    },
    async (request, reply) => {
      const outcome = await google.completeOAuth(request.query);
      if (!outcome) throw validationFailed('This Google consent link is unknown, was used already, or expired; start the authorization again', 'state');
      const target = new URL(outcome.returnTo, 'http://rollcall.invalid');
      target.searchParams.set('googleWorkspace', outcome.connected ? 'connected' : 'error');
      if (outcome.reason) target.searchParams.set('reason', outcome.reason);
      request.log.info({ connected: outcome.connected, reason: outcome.reason }, 'Google Workspace consent returned');
      return reply.redirect(`${target.pathname}${target.search}${target.hash}`, 302);
    },
  );
};
