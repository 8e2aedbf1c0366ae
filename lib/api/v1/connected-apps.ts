// GET /connected-apps and DELETE /connected-apps/{id}: the AI apps the caller let sign in (OAuth)
// to their servers, and ending one's access (with every token issued to it).
import { z } from "zod";
import { idParams, timestampSchema } from "@/lib/api/common-schemas";
import { defineEndpoint } from "@/lib/api/define-endpoint";

const connectedAppSchema = z.object({
  id: z.string().describe("The grant's id, for DELETE /connected-apps/{id}."),
  appName: z.string(),
  redirectHost: z.string().nullable().describe("The host the app's sign-in returns to."),
  clientKind: z.string().describe('How the app identified itself: "registration" or "metadata_document".'),
  server: z.object({
    id: z.string(),
    name: z.string(),
    orgName: z.string().nullable().describe("The organization whose server it is; null: yours."),
  }),
  createdAt: timestampSchema,
  lastUsedAt: timestampSchema.nullable(),
});

export const listConnectedAppsEndpoint = defineEndpoint({
  method: "GET",
  path: "/connected-apps",
  operationId: "listConnectedApps",
  tag: "Connected apps",
  summary: "List the AI apps you let sign in to your servers",
  description: "Apps that still have access, newest first, each with the server it chose.",
  auth: true,
  response: z.array(connectedAppSchema),
  status: 200,
  errors: [],
});

export const revokeConnectedAppEndpoint = defineEndpoint({
  method: "DELETE",
  path: "/connected-apps/{id}",
  operationId: "revokeConnectedApp",
  tag: "Connected apps",
  summary: "Revoke an AI app's access",
  description:
    "The app's access and refresh tokens stop working at once. Your own apps; an organization's owners and admins also any member's app on its servers.",
  auth: true,
  params: idParams,
  status: 204,
  errors: [404],
});
