/**
 * `fetch` for a document Rollcall reads from someone else's server (the vendor's JWKS): the body is read
 * here, up to a limit, so that a server sending without end cannot fill the process's memory. jose's
 * createRemoteJWKSet calls it through its `customFetch` option (./remote-jwks.ts).
 */

/** The answer's body is larger than the limit; the fetch is treated as failed. */
export class ResponseTooLarge extends Error {
  override name = 'ResponseTooLarge';

  constructor(maxBytes: number) {
    super(`the response is larger than ${maxBytes} bytes`);
  }
}

/**
 * Fetches `url` and reads the body of a 200 answer, at most `maxBytes` of it: a larger one, by its
 * Content-Length or once more bytes than that have come, is refused with ResponseTooLarge and the
 * connection dropped. Another status is answered without its body, which jose refuses unread. The
 * returned Response holds the bytes read. `init.signal` (jose's timeout) covers reading the body too.
 */
export async function fetchWithBodyLimit(url: string, init: RequestInit, maxBytes: number): Promise<Response> {
  const response = await fetch(url, init);
  const { status, statusText, headers } = response;
  if (status !== 200 || !response.body) {
    await response.body?.cancel();
    return new Response(null, { status, statusText, headers });
  }
  if (Number(headers.get('content-length')) > maxBytes) {
    await response.body.cancel();
    throw new ResponseTooLarge(maxBytes);
  }
  const reader: ReadableStreamDefaultReader<Uint8Array> = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new ResponseTooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return new Response(Buffer.concat(chunks), { status, statusText, headers });
}
