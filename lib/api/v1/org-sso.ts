// PATCH /orgs/{id}/sso: an organization's single sign-on rules (owners only).
import { z } from "zod";
import { idParams } from "@/lib/api/common-schemas";
import { defineEndpoint } from "@/lib/api/define-endpoint";
import { ssoSettingsSchema } from "@/lib/orgs/sso-settings";

export const orgSsoSchema = z.object({
  ssoRequired: z.boolean().describe("Members may sign in only with single sign-on (OpenID Connect)."),
  autoJoinDomain: z
    .string()
    .nullable()
    .describe("People whose single sign-on address at this domain is verified join as members."),
  oidcConfigured: z.boolean().describe("Whether this Toolgate has an OpenID Connect provider configured."),
});

export const updateOrgSsoEndpoint = defineEndpoint({
  method: "PATCH",
  path: "/orgs/{id}/sso",
  operationId: "updateOrgSso",
  tag: "Organizations",
  summary: "Set an organization's single sign-on rules",
  description:
    "Owners only. Fields left out stay as they are; an empty or null `autoJoinDomain` clears it. Requiring single sign-on is refused (409) while the platform has no OpenID Connect provider, and a domain another organization claimed is refused (409). Members' API tokens keep working either way.",
  auth: true,
  params: idParams,
  body: ssoSettingsSchema,
  response: orgSsoSchema,
  status: 200,
  errors: [400, 404, 409, 413, 422],
});
