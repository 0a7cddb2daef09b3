'use strict';
// Preload (`node -r`) for Portkey on Node 20: its streaming path updates the headers of the upstream's
// Response, whose headers undici made immutable, and every stream to a custom host then fails with HTTP
// 500 `TypeError: immutable`. Re-wrapping the response in a new Response with a fresh Headers object
// fixes it. Only event streams are re-wrapped: non-streaming answers work unpatched, and leaving them
// untouched keeps the peer's non-streaming numbers free of any cost the benchmark would add.
const originalFetch = globalThis.fetch;
const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

globalThis.fetch = async function fetchWithMutableHeaders(...args) {
  const response = await originalFetch.apply(this, args);
  const contentType = response.headers.get('content-type') || '';
  if (!contentType.includes('text/event-stream')) return response;
  return new Response(NULL_BODY_STATUSES.has(response.status) ? null : response.body, {
    status: response.status,
    statusText: response.statusText,
    headers: new Headers(response.headers),
  });
};
