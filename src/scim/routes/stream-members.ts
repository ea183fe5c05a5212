/**
 * A group's JSON with its `members` written page by page: the resource is serialised without them,
 * then `"members":[…]` is appended as the pages arrive. Memory stays at one page however large the
 * group; JSON objects are unordered (RFC 8259 §4), so `members` after `meta` is the same resource.
 */
import { Readable } from 'node:stream';

export function streamWithMembers(resource: Record<string, unknown>, pages: AsyncIterable<Record<string, unknown>[]>): Readable {
  async function* chunks() {
    const head = JSON.stringify(resource);
    yield `${head.slice(0, -1)},"members":[`;
    let first = true;
    for await (const page of pages) {
      if (page.length === 0) continue;
      yield `${first ? '' : ','}${page.map((member) => JSON.stringify(member)).join(',')}`;
      first = false;
    }
    yield ']}';
  }
  return Readable.from(chunks(), { objectMode: false });
}
