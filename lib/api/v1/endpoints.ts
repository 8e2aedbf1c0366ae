// The table of every /api/v1 endpoint: the OpenAPI document is generated from it, and each
// route file wraps one of these definitions, so a schema is written once and used by both.
import type { AnyEndpoint } from "@/lib/api/define-endpoint";
import {
  acceptAppActionsEndpoint,
  checkAppEndpoint,
  createAppEndpoint,
  deleteAppEndpoint,
  deleteAppOAuthClientEndpoint,
  getAppEndpoint,
  listAppsEndpoint,
  refreshAppEndpoint,
  setAppOAuthClientEndpoint,
  setOfferedActionsEndpoint,
} from "./apps";
import { listCallsEndpoint } from "./calls";
import { listConnectedAppsEndpoint, revokeConnectedAppEndpoint } from "./connected-apps";
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
  acceptInvitationEndpoint,
  createInvitationEndpoint,
  createOrgEndpoint,
  deleteOrgEndpoint,
  getOrgEndpoint,
  listInvitationsEndpoint,
  listMembersEndpoint,
  listOrgsEndpoint,
  removeMemberEndpoint,
  renameOrgEndpoint,
  revokeInvitationEndpoint,
  setOrgLimitsEndpoint,
  updateMemberEndpoint,
} from "./orgs";
import {
  createServerEndpoint,
  deleteServerEndpoint,
  getServerEndpoint,
  issueMemberUrlEndpoint,
  listServersEndpoint,
  revokeMemberUrlEndpoint,
  rotateServerEndpoint,
  updateServerEndpoint,
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
  updateServerEndpoint,
  issueMemberUrlEndpoint,
  revokeMemberUrlEndpoint,
  listToolsEndpoint,
  addToolEndpoint,
  updateToolEndpoint,
  deleteToolEndpoint,
  getUsageEndpoint,
  listCallsEndpoint,
  listOrgsEndpoint,
  createOrgEndpoint,
  getOrgEndpoint,
  renameOrgEndpoint,
  deleteOrgEndpoint,
  listMembersEndpoint,
  updateMemberEndpoint,
  removeMemberEndpoint,
  setOrgLimitsEndpoint,
  createInvitationEndpoint,
  listInvitationsEndpoint,
  revokeInvitationEndpoint,
  acceptInvitationEndpoint,
  updateOrgSsoEndpoint,
  listAppsEndpoint,
  createAppEndpoint,
  getAppEndpoint,
  deleteAppEndpoint,
  refreshAppEndpoint,
  acceptAppActionsEndpoint,
  setOfferedActionsEndpoint,
  setAppOAuthClientEndpoint,
  deleteAppOAuthClientEndpoint,
  checkAppEndpoint,
  listConnectedAppsEndpoint,
  revokeConnectedAppEndpoint,
  getOpenApiEndpoint,
];
