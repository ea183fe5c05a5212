/** A real webhook receiver on 127.0.0.1 (random port) that records every request and answers as told. */
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';

/** One request as it arrived: the raw body, exactly the bytes that were signed. */
export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  /** What the receiver answered: a status code, or how it failed. */
  answer: number | 'destroy' | 'hang';
}

/**
 * How to answer a request: a status (with a short text body), a status and the body to send,
 * `destroy` (the socket closes without a response) or `hang` (no answer ever).
 */
export type Behaviour = (request: { headers: IncomingHttpHeaders; body: string; index: number }) => number | { status: number; body: string } | 'destroy' | 'hang';

export interface Receiver {
  url: string;
  received: Received[];
  /** Requests that got a 2xx, in arrival order. */
  accepted(): Received[];
  /** Changes how later requests are answered. */
  behave(behaviour: Behaviour): void;
  /** Resolves once `count` requests have arrived. */
  waitFor(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export const ok: Behaviour = () => 200;

export async function startReceiver(initial: Behaviour = ok): Promise<Receiver> {
  let behaviour = initial;
  const received: Received[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const hanging = new Set<import('node:http').ServerResponse>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const told = behaviour({ headers: req.headers, body, index: received.length });
      const answer = typeof told === 'object' ? told.status : told;
      received.push({ headers: req.headers, body, answer });
      for (const waiter of waiters.filter((w) => received.length >= w.count)) waiter.resolve();
      if (answer === 'destroy') req.socket.destroy();
      else if (answer === 'hang') hanging.add(res);
      else res.writeHead(answer, { 'content-type': 'text/plain' }).end(typeof told === 'object' ? told.body : answer >= 300 ? `receiver says ${answer}` : 'ok');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    accepted: () => received.filter((r) => typeof r.answer === 'number' && r.answer >= 200 && r.answer < 300),
    behave(next) {
      behaviour = next;
    },
    waitFor(count, timeoutMs = 20_000) {
      if (received.length >= count) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`receiver got ${received.length} of ${count} requests`)), timeoutMs);
        waiters.push({ count, resolve: () => (clearTimeout(timer), resolve()) });
      });
    },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
