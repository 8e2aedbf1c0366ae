// GET /openapi.json: this API described, for anyone (no token).
import { z } from "zod";
import { defineEndpoint } from "@/lib/api/define-endpoint";

export const getOpenApiEndpoint = defineEndpoint({
  method: "GET",
  path: "/openapi.json",
  operationId: "getOpenApiDocument",
  tag: "Meta",
  summary: "This document (OpenAPI 3.1)",
  auth: false,
  response: z.record(z.string(), z.unknown()),
  status: 200,
  errors: [],
});
