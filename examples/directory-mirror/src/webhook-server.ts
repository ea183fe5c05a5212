/**
 * `webhooks`: an HTTP endpoint for Rollcall's webhook deliveries. Each POST carries one event: the
 * signature is checked on the raw body, the event applied in one transaction with its journal row
 * (any-order rules, apply.ts), and the 2xx sent only after the commit — so an event Rollcall counts
 * as delivered is in the database, and one it sends again (at least once) is found in the journal.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { verifyWebhookSignature } from '@rollcall/client';
import { applyEvent } from './apply.js';
import { InvalidEvent, parseEvent } from './events.js';
import type { Log } from './log.js';
import type { MirrorStorage } from './storage/port.js';

/** What the server needs. */
export interface WebhookServerDeps {
  storage: MirrorStorage;
  /** The webhook's signing secret (whsec_…). */
  secret: string;
  log: Log;
}

/** Rollcall's events are a few KB; a body past this is not one. */
const MAX_BODY_BYTES = 1024 * 1024;

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    // Past the limit the rest is read and dropped, so that the sender gets the 413.
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => (size > MAX_BODY_BYTES ? reject(new BodyTooLarge()) : resolve(Buffer.concat(chunks))));
    req.on('error', reject);
  });
}

/** The delivery's event id, for log lines. */
function eventIdOf(req: IncomingMessage): string {
  const id = req.headers['rollcall-event-id'];
  return typeof id === 'string' ? id : '(no Rollcall-Event-Id)';
}

function answer(res: ServerResponse, status: number, text?: string): void {
  if (text === undefined) res.writeHead(status).end();
  else res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(`${text}\n`);
}

async function handle({ storage, secret, log }: WebhookServerDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method === 'GET' && req.url === '/healthz') return answer(res, 200, 'ok');
  if (req.method !== 'POST') {
    res.setHeader('allow', 'POST');
    return answer(res, 405, 'POST events here');
  }
  let raw: Buffer;
  try {
    raw = await readBody(req);
  } catch (error) {
    if (error instanceof BodyTooLarge) return answer(res, 413, 'body too large');
    throw error;
  }
  // Before parsing anything: only Rollcall, holding the secret, can have signed these exact bytes.
  const signature = req.headers['rollcall-signature'];
  if (typeof signature !== 'string' || !verifyWebhookSignature(secret, signature, raw)) return answer(res, 400, 'invalid signature');
  let event;
  try {
    event = parseEvent(JSON.parse(raw.toString('utf8')));
  } catch (error) {
    // Signed yet unreadable: Rollcall retries it, and the log says why it never applies.
    const reason = error instanceof InvalidEvent ? error.message : 'not JSON';
    log.error(`webhooks: event ${eventIdOf(req)} rejected: ${reason}`);
    return answer(res, 400, `invalid event: ${reason}`);
  }
  const outcome = await storage.transaction((tx) => applyEvent(tx, event, 'any-order'));
  log.event(event, outcome);
  answer(res, 204);
}

/** The server, not listening yet. */
export function createWebhookServer(deps: WebhookServerDeps): Server {
  return createServer((req, res) => {
    handle(deps, req, res).catch((error: unknown) => {
      // Not committed: a non-2xx makes Rollcall retry the delivery later.
      deps.log.error(`webhooks: event ${eventIdOf(req)} not applied`, error);
      if (!res.headersSent) answer(res, 500, 'not applied, retry later');
      else res.destroy();
    });
  });
}
