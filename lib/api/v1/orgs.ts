// /orgs and /invitations/accept: organizations, their members, limits and invitations.
import { z } from "zod";
import { idSchema, timestampSchema } from "@/lib/api/common-schemas";
import { defineEndpoint } from "@/lib/api/define-endpoint";
import { createOrgSchema } from "@/lib/orgs/manage-orgs";
import { createOrgInvitationSchema } from "@/lib/orgs/org-invitations";
import { limitSettingsSchema } from "@/lib/orgs/org-limits";
import { orgRoles } from "@/lib/orgs/roles";
import { updateMemberSchema } from "@/lib/orgs/update-member";

const roleSchema = z
  .enum(orgRoles)
  .describe(
    "OWNER: everything, including the organization itself. ADMIN: members, invitations, shared connections, servers and tools. MEMBER: uses the servers. VIEWER: uses the tools that only read.",
  );
const orgParams = z.object({ id: idSchema });
const memberParams = z.object({ id: idSchema, userId: idSchema });
const invitationParams = z.object({ id: idSchema, invitationId: idSchema });
const limitSchema = z.number().int().nullable();

const orgSummarySchema = z.object({ id: z.string(), name: z.string(), role: roleSchema });

const orgSchema = z.object({
  id: z.string(),
  name: z.string(),
  role: roleSchema.describe("Your role in it."),
  createdAt: timestampSchema,
  planName: z.string().nullable().describe("Null: the platform's default plan."),
  memberCount: z.number().int(),
  memberHourlyLimit: limitSchema.describe("Each member's hourly limit unless their own is set; null: none."),
  memberDailyLimit: limitSchema,
  memberMonthlyLimit: limitSchema,
  ssoRequired: z.boolean(),
  ssoAutoJoinDomain: z.string().nullable(),
});

const memberSchema = z.object({
  userId: z.string(),
  email: z.string(),
  name: z.string().nullable(),
  role: roleSchema,
  hourlyLimit: limitSchema.describe("This member's own limit; null: the organization's member default."),
  dailyLimit: limitSchema,
  monthlyLimit: limitSchema,
  createdAt: timestampSchema,
});

const invitationSchema = z.object({
  id: z.string(),
  email: z.string(),
  role: roleSchema,
  createdAt: timestampSchema,
  expiresAt: timestampSchema,
  acceptedAt: timestampSchema.nullable(),
  revokedAt: timestampSchema.nullable(),
  state: z.enum(["pending", "accepted", "expired", "revoked"]),
});

export const listOrgsEndpoint = defineEndpoint({
  method: "GET",
  path: "/orgs",
  operationId: "listOrgs",
  tag: "Organizations",
  summary: "The organizations you belong to, with your role",
  auth: true,
  response: z.array(orgSummarySchema),
  status: 200,
  errors: [],
});

export const createOrgEndpoint = defineEndpoint({
  method: "POST",
  path: "/orgs",
  operationId: "createOrg",
  tag: "Organizations",
  summary: "Create an organization (you are its owner)",
  auth: true,
  body: createOrgSchema,
  response: orgSummarySchema,
  status: 201,
  errors: [400, 413, 422],
});

export const getOrgEndpoint = defineEndpoint({
  method: "GET",
  path: "/orgs/{id}",
  operationId: "getOrg",
  tag: "Organizations",
  summary: "An organization you belong to",
  auth: true,
  params: orgParams,
  response: orgSchema,
  status: 200,
  errors: [404],
});

export const renameOrgEndpoint = defineEndpoint({
  method: "PATCH",
  path: "/orgs/{id}",
  operationId: "renameOrg",
  tag: "Organizations",
  summary: "Rename an organization (owners)",
  auth: true,
  params: orgParams,
  body: createOrgSchema,
  response: orgSchema,
  status: 200,
  errors: [400, 404, 413, 422],
});

export const deleteOrgEndpoint = defineEndpoint({
  method: "DELETE",
  path: "/orgs/{id}",
  operationId: "deleteOrg",
  tag: "Organizations",
  summary: "Delete an organization with its connections, servers and tools (owners)",
  description: "Every member's URL for its servers stops working at once.",
  auth: true,
  params: orgParams,
  status: 204,
  errors: [404],
});

export const listMembersEndpoint = defineEndpoint({
  method: "GET",
  path: "/orgs/{id}/members",
  operationId: "listOrgMembers",
  tag: "Organizations",
  summary: "An organization's members and their roles",
  auth: true,
  params: orgParams,
  response: z.array(memberSchema),
  status: 200,
  errors: [404],
});

export const updateMemberEndpoint = defineEndpoint({
  method: "PATCH",
  path: "/orgs/{id}/members/{userId}",
  operationId: "updateOrgMember",
  tag: "Organizations",
  summary: "Change a member's role or limits (owners and admins)",
  description: "Only owners give or take the owner role; an organization always keeps at least one owner.",
  auth: true,
  params: memberParams,
  body: updateMemberSchema,
  response: memberSchema,
  status: 200,
  errors: [400, 404, 409, 413, 422],
});

export const removeMemberEndpoint = defineEndpoint({
  method: "DELETE",
  path: "/orgs/{id}/members/{userId}",
  operationId: "removeOrgMember",
  tag: "Organizations",
  summary: "Remove a member, or leave (your own id)",
  description: "Their URLs for the organization's servers stop working at once. The last owner cannot leave.",
  auth: true,
  params: memberParams,
  status: 204,
  errors: [404, 409],
});

export const setOrgLimitsEndpoint = defineEndpoint({
  method: "PATCH",
  path: "/orgs/{id}/limits",
  operationId: "setOrgMemberLimits",
  tag: "Organizations",
  summary: "Set the limits each member gets inside the organization's (owners and admins)",
  description:
    "The organization's own plan and limits are chosen by a platform administrator (`cli limits set --org`).",
  auth: true,
  params: orgParams,
  body: limitSettingsSchema,
  response: orgSchema,
  status: 200,
  errors: [400, 404, 413, 422],
});

export const createInvitationEndpoint = defineEndpoint({
  method: "POST",
  path: "/orgs/{id}/invitations",
  operationId: "createOrgInvitation",
  tag: "Organizations",
  summary: "Invite someone by email with a role (owners and admins)",
  description:
    "The link is single-use, expires, and can be accepted only by an account with that address. It is mailed when the platform has SMTP (`mail.status` is `sent`); otherwise pass `url` on yourself.",
  auth: true,
  params: orgParams,
  body: createOrgInvitationSchema,
  response: z.object({
    id: z.string(),
    email: z.string(),
    role: z.string().describe("OWNER, ADMIN, MEMBER or VIEWER."),
    expiresAt: timestampSchema,
    url: z.url().describe("The invitation link. Shown only in this answer."),
    mail: z.object({ status: z.enum(["sent", "not_configured", "no_address", "failed"]) }),
  }),
  status: 201,
  errors: [400, 404, 409, 413, 422],
});

export const listInvitationsEndpoint = defineEndpoint({
  method: "GET",
  path: "/orgs/{id}/invitations",
  operationId: "listOrgInvitations",
  tag: "Organizations",
  summary: "An organization's invitations, newest first (owners and admins)",
  auth: true,
  params: orgParams,
  response: z.array(invitationSchema),
  status: 200,
  errors: [404],
});

export const revokeInvitationEndpoint = defineEndpoint({
  method: "DELETE",
  path: "/orgs/{id}/invitations/{invitationId}",
  operationId: "revokeOrgInvitation",
  tag: "Organizations",
  summary: "Revoke an invitation (owners and admins)",
  auth: true,
  params: invitationParams,
  status: 204,
  errors: [404, 409],
});

export const acceptInvitationEndpoint = defineEndpoint({
  method: "POST",
  path: "/invitations/accept",
  operationId: "acceptOrgInvitation",
  tag: "Organizations",
  summary: "Accept an invitation to an organization",
  description:
    "As the token's account, whose address must be the one invited (403 otherwise). The token is the last part of the invitation link.",
  auth: true,
  body: z.object({ token: z.string().min(1).max(200) }),
  response: z.object({ orgId: z.string(), orgName: z.string(), role: roleSchema }),
  status: 200,
  errors: [400, 404, 409, 413, 422],
});
