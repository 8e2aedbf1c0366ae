-- Calls recorded before secret fields existed kept the HTTP request's headers and the webhook's
-- URL and headers in clear: mask them as new calls do, and drop the cut-off text preview of the
-- inputs too large to keep (it may hold them). Fixed values of these fields in "Tool"."fields"
-- are sealed by the worker when it starts (sealing needs ENCRYPTION_KEY, which SQL has not).
UPDATE "Call" SET "input" = "input" || '{"headers": "[secret]"}'::jsonb
WHERE "integration" IN ('http', 'webhook') AND jsonb_typeof("input") = 'object'
  AND ("input" -> 'headers') IS NOT NULL AND ("input" -> 'truncated') IS NULL;

UPDATE "Call" SET "input" = "input" || '{"url": "[secret]"}'::jsonb
WHERE "integration" = 'webhook' AND jsonb_typeof("input") = 'object'
  AND ("input" -> 'url') IS NOT NULL AND ("input" -> 'truncated') IS NULL;

UPDATE "Call" SET "input" = "input" - 'preview'
WHERE "integration" IN ('http', 'webhook') AND jsonb_typeof("input") = 'object' AND ("input" -> 'truncated') IS NOT NULL;
