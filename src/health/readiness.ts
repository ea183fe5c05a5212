/**
 * GET /readyz — whether a load balancer should send this process traffic: 200 when it is serving and
 * the database answers, 503 while it drains for shutdown or when the database is down. (/healthz is
 * liveness: it stays 200 while draining, so an orchestrator does not kill a process that is finishing.)
 */
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Db } from '../db/open.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Where the process is in its life; `draining` is set by a graceful shutdown. */
    lifecycle: Lifecycle;
  }
}

/** The process's readiness state. */
export class Lifecycle {
  /** Set once shutdown begins: /readyz answers 503 and responses close their connections. */
  draining = false;
}

const statusSchema = { type: 'object', properties: { status: { type: 'string' } } } as const;

/** Decorates `app.lifecycle`, adds /readyz, and closes keep-alive connections while draining. */
export async function registerReadiness(app: FastifyInstance, db: Db): Promise<void> {
  const lifecycle = new Lifecycle();
  app.decorate('lifecycle', lifecycle);
  // While draining, every response asks the client to reconnect: a client holding a keep-alive
  // connection then opens a new one, which the load balancer sends to a process that stays.
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (lifecycle.draining) void reply.header('connection', 'close');
    done(null, payload);
  });
  app.get(
    '/readyz',
    {
      schema: {
        tags: ['health'],
        summary: 'Readiness: 503 while draining for shutdown or when the database does not answer',
        response: { 200: statusSchema, 503: statusSchema },
      },
    },
    async (request, reply) => {
      if (lifecycle.draining) return reply.code(503).send({ status: 'draining' });
      try {
        await sql`select 1`.execute(db.kysely);
        return { status: 'ready' };
      } catch (error) {
        request.log.warn({ err: error }, 'readiness check: database did not answer');
        return reply.code(503).send({ status: 'unavailable' });
      }
    },
  );
}
