// Size caps for what a call stores and returns, so one huge answer cannot bloat the ledger,
// Redis or the client's context window.
export const maxResultBytes = 256 * 1024;
export const maxStoredBytes = 64 * 1024;

export function jsonSize(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? "");
}

/** The start of `text`, never ending in half a surrogate pair (which PostgreSQL's jsonb refuses). */
function previewOf(text: string, length: number): string {
  const preview = text.slice(0, length);
  return /[\ud800-\udbff]$/.test(preview) ? preview.slice(0, -1) : preview;
}

/** The value itself if small enough to store, else a marker with its size and a prefix. */
export function capForStorage(value: unknown): unknown {
  const text = JSON.stringify(value) ?? "null";
  if (Buffer.byteLength(text) <= maxStoredBytes) return value;
  return { truncated: true, bytes: Buffer.byteLength(text), preview: previewOf(text, 2_000) };
}
