// Headers on every response: pages must never be framed (clickjacking); the rest are
// conservative defaults. next.config.ts applies them to Next.js routes, and the MCP endpoint's
// node:http adapter to its own responses.
export const securityHeaders = [
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Content-Security-Policy", value: "frame-ancestors 'none'" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "no-referrer" },
];
