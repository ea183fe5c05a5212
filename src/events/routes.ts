/** GET /api/v1/events — the ordered event feed. */
import type { FastifyPluginAsync } from 'fastify';
import { validationFailed } from '../http/api-errors.js';
import { environmentSecurity, errorResponses } from '../http/schemas.js';
import type { EventService } from './service.js';
import { FEED_ORDERS, type FeedOrder } from './cursor.js';
import { EVENT_TYPES, type EventType } from './types.js';

const eventSchema = {
  type: 'object',
  // All always sent (toEvent in ./store.ts); connectionId as null when there is none.
  required: ['id', 'type', 'tenantId', 'connectionId', 'occurredAt', 'data'],
  properties: {
    id: { type: 'string' },
    type: { type: 'string', enum: [...EVENT_TYPES] },
    tenantId: { type: 'string' },
    connectionId: { type: ['string', 'null'] },
    occurredAt: { type: 'string', format: 'date-time' },
    data: { type: 'object', additionalProperties: true },
  },
} as const;

/** A feed item: the event and the cursor of its position. */
const feedItemSchema = {
  ...eventSchema,
  required: [...eventSchema.required, 'cursor'],
  properties: {
    ...eventSchema.properties,
    cursor: { type: 'string', description: 'Pass as `after` to continue after this event: a checkpoint a reader can store per event' },
  },
} as const;

/** Parses `types=a,b` against the known event types. */
function parseTypes(raw: string | undefined): EventType[] | undefined {
  if (!raw) return undefined;
  const types = raw.split(',').map((t) => t.trim()).filter(Boolean);
  const unknown = types.find((t) => !(EVENT_TYPES as readonly string[]).includes(t));
  if (unknown) throw validationFailed(`querystring.types has an unknown event type "${unknown}"; known: ${EVENT_TYPES.join(', ')}`, 'querystring.types');
  return types as EventType[];
}

export const eventRoutes: FastifyPluginAsync<{ events: EventService }> = async (app, { events }) => {
  app.get<{ Querystring: { after?: string; order: FeedOrder; limit: number; types?: string; tenantId?: string } }>(
    '/api/v1/events',
    {
      schema: {
        tags: ['events'],
        summary: 'Read the event feed in order',
        description:
          'Events are strictly ordered: pass nextCursor as `after` to continue. An empty page keeps the cursor, so polling with it never skips or repeats an event. `order=desc` reads newest first: its nextCursor continues to older events.',
        security: environmentSecurity,
        querystring: {
          type: 'object',
          properties: {
            after: { type: 'string', maxLength: 200 },
            order: { type: 'string', enum: [...FEED_ORDERS], default: 'asc', description: 'asc: oldest first (the feed order webhooks deliver in); desc: newest first' },
            limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
            types: { type: 'string', maxLength: 1000, description: 'Comma-separated event types' },
            tenantId: { type: 'string', maxLength: 128 },
          },
        },
        response: {
          200: { type: 'object', required: ['items', 'nextCursor'], properties: { items: { type: 'array', items: feedItemSchema }, nextCursor: { type: 'string' } } },
          ...errorResponses(400, 401),
        },
      },
    },
    async (request) => events.page({ after: request.query.after, order: request.query.order, limit: request.query.limit, tenantId: request.query.tenantId, types: parseTypes(request.query.types) }),
  );
};
