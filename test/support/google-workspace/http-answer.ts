/** The stand-in's HTTP plumbing: handlers return an Answer, the server writes it. */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** An HTTP answer: JSON, an HTML page, or a redirect. */
export interface Answer {
  status: number;
  json?: unknown;
  html?: string;
  location?: string;
  headers?: Record<string, string>;
}

/** A small HTML page such as Google shows for a consent request it refuses. */
export function errorPage(status: number, title: string, detail: string): Answer {
  const escape = (text: string) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return { status, html: `<!doctype html><title>${escape(title)}</title><h1>${escape(title)}</h1><p>${escape(detail)}</p>` };
}

export function writeAnswer(res: ServerResponse, answer: Answer): void {
  res.statusCode = answer.status;
  for (const [name, value] of Object.entries(answer.headers ?? {})) res.setHeader(name, value);
  if (answer.location) res.setHeader('location', answer.location);
  if (answer.json !== undefined) {
    res.setHeader('content-type', 'application/json; charset=UTF-8');
    res.end(JSON.stringify(answer.json));
  } else if (answer.html !== undefined) {
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(answer.html);
  } else {
    res.end();
  }
}

/** A request body as form fields: the token endpoint takes x-www-form-urlencoded, and JSON too. */
export async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if ((req.headers['content-type'] ?? '').includes('json')) {
    try {
      const value = JSON.parse(text) as Record<string, unknown>;
      return new URLSearchParams(Object.entries(value).map(([key, field]): [string, string] => [key, String(field)]));
    } catch {
      return new URLSearchParams();
    }
  }
  return new URLSearchParams(text);
}
