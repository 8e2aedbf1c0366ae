// The table of every /api/v1 endpoint: the OpenAPI document is generated from it, and each
// route file wraps one of these definitions, so a schema is written once and used by both.
import type { AnyEndpoint } from "@/lib/api/define-endpoint";
import { listCallsEndpoint } from "./calls";
import {
  createConnectionEndpoint,
  deleteConnectionEndpoint,
  listConnectionsEndpoint,
  testConnectionEndpoint,
} from "./connections";
import { listFieldOptionsEndpoint, listIntegrationsEndpoint } from "./integrations";
import { getOpenApiEndpoint } from "./meta";
import { updateOrgSsoEndpoint } from "./org-sso";
import {
  createServerEndpoint,
  deleteServerEndpoint,
  getServerEndpoint,
  listServersEndpoint,
  rotateServerEndpoint,
} from "./servers";
import { addToolEndpoint, deleteToolEndpoint, listToolsEndpoint, updateToolEndpoint } from "./tools";
import { getUsageEndpoint } from "./usage";

export const endpoints: AnyEndpoint[] = [
  listIntegrationsEndpoint,
  listFieldOptionsEndpoint,
  listConnectionsEndpoint,
  createConnectionEndpoint,
  deleteConnectionEndpoint,
  testConnectionEndpoint,
  listServersEndpoint,
  createServerEndpoint,
  getServerEndpoint,
  deleteServerEndpoint,
  rotateServerEndpoint,
  listToolsEndpoint,
  addToolEndpoint,
  updateToolEndpoint,
  deleteToolEndpoint,
  getUsageEndpoint,
  listCallsEndpoint,
  updateOrgSsoEndpoint,
  getOpenApiEndpoint,
];
