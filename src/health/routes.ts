/** GET /healthz: the process is up and the database answers. */
import type { FastifyPluginAsync } from 'fastify';
import { sql } from 'kysely';
import type { Db } from '../db/open.js';

export const healthRoutes: FastifyPluginAsync<{ db: Db }> = async (app, { db }) => {
  app.get(
    '/healthz',
    {
      schema: {
        tags: ['health'],
        summary: 'Liveness and database check',
        response: {
          200: { type: 'object', properties: { status: { type: 'string' }, database: { type: 'string' } } },
          503: { type: 'object', properties: { status: { type: 'string' }, database: { type: 'string' } } },
        },
      },
    },
    async (request, reply) => {
      try {
        await sql`select 1`.execute(db.kysely);
        return { status: 'ok', database: db.dialect.name };
      } catch (error) {
        request.log.warn({ err: error }, 'health check: database did not answer');
        return reply.code(503).send({ status: 'unavailable', database: db.dialect.name });
      }
    },
  );
};
