// The current organization: its name, plan and your role; its members (owners and admins change
// roles, remove people and set limits; anyone may leave); its invitations. In the personal
// workspace: the organizations one belongs to, and a way to make one.
import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { formatDate } from "@/components/format-date";
import { Badge } from "@/components/kit/badge";
import { ButtonLink } from "@/components/kit/button";
import { Card, EmptyState } from "@/components/kit/card";
import { PageHeader } from "@/components/kit/page-header";
import { isMailConfigured } from "@/lib/mail/send-mail";
import { requireWorkspace } from "@/lib/orgs/current-workspace";
import { getOrg, listMembers, listOrgsOf } from "@/lib/orgs/manage-orgs";
import { listOrgInvitations, type OrgInvitationState } from "@/lib/orgs/org-invitations";
import { mayAssignRole, orgRoles, roleWords } from "@/lib/orgs/roles";
import { type OrgWorkspace, workspaceCan } from "@/lib/orgs/workspace";
import { InviteForm } from "./invite-form";
import { LimitsForm } from "./limits-form";
import { LeaveOrgButton, RemoveMemberButton, RoleForm } from "./member-actions";
import { OpenOrgButton } from "./open-org-button";
import { RevokeOrgInvitationButton } from "./revoke-org-invitation-button";

export const metadata: Metadata = { title: "Organization" };
export const dynamic = "force-dynamic";

const stateBadges: Record<OrgInvitationState, { tone: "info" | "success" | "neutral"; label: string }> = {
  pending: { tone: "info", label: "Pending" },
  accepted: { tone: "success", label: "Accepted" },
  expired: { tone: "neutral", label: "Expired" },
  revoked: { tone: "neutral", label: "Revoked" },
};

const listClasses =
  "divide-y divide-zinc-200 rounded-xl border border-zinc-200 bg-white dark:divide-zinc-800 dark:border-zinc-800 dark:bg-zinc-900";
const muted = "text-sm text-zinc-600 dark:text-zinc-400";

function When({ date }: { date: Date }) {
  return <time dateTime={date.toISOString()}>{formatDate(date)}</time>;
}

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section aria-labelledby={id} className="space-y-3">
      <h2 id={id} className="text-lg font-semibold">
        {title}
      </h2>
      {children}
    </section>
  );
}

async function PersonalWorkspacePage({ userId }: { userId: string }) {
  const orgs = await listOrgsOf(userId);
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <PageHeader
        title="Organizations"
        description="You are in your personal workspace: what you make here is yours alone. Organizations share connections and servers among their members."
        actions={<ButtonLink href="/orgs/new">New organization</ButtonLink>}
      />
      {orgs.length === 0 ? (
        <EmptyState title="You belong to no organization yet">
          <p>Make one and invite your team, or open an invitation someone sent you.</p>
        </EmptyState>
      ) : (
        <ul className={listClasses} aria-label="Your organizations">
          {orgs.map((org) => (
            <li key={org.id} className="flex items-center justify-between gap-4 p-4">
              <div className="min-w-0">
                <p className="truncate font-medium">{org.name}</p>
                <p className={muted}>{roleWords[org.role]}</p>
              </div>
              <OpenOrgButton orgId={org.id} name={org.name} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function limitsLabel(limits: Record<"hour" | "day" | "month", number | null>): string {
  return limits.hour === null && limits.day === null && limits.month === null
    ? "the organization's member limits"
    : "their own";
}

async function OrgPage({ workspace }: { workspace: OrgWorkspace }) {
  const manage = workspaceCan(workspace, "manage_members");
  const [org, members, invitations] = await Promise.all([
    getOrg(workspace),
    listMembers(workspace),
    manage ? listOrgInvitations(workspace) : Promise.resolve([]),
  ]);
  const assignable = orgRoles
    .filter((role) => mayAssignRole(workspace.role, role))
    .map((role) => ({ value: role, label: roleWords[role] }));
  const defaultLimits = {
    hour: org.memberHourlyLimit,
    day: org.memberDailyLimit,
    month: org.memberMonthlyLimit,
  };
  return (
    <div className="mx-auto max-w-4xl space-y-10">
      <PageHeader
        title={org.name}
        description={
          <>
            You are {roleWords[org.role].toLowerCase()} here · Plan: {org.planName ?? "the default plan"} ·{" "}
            {org.memberCount === 1 ? "1 member" : `${org.memberCount} members`} · Created{" "}
            <When date={org.createdAt} />
          </>
        }
        actions={
          <>
            <ButtonLink href="/org/usage" variant="secondary">
              Usage
            </ButtonLink>
            {workspaceCan(workspace, "see_audit") && (
              <ButtonLink href="/org/audit" variant="secondary">
                Audit trail
              </ButtonLink>
            )}
            {workspaceCan(workspace, "manage_org") && (
              <ButtonLink href="/org/settings/sso" variant="secondary">
                Single sign-on
              </ButtonLink>
            )}
          </>
        }
      />

      <Section id="members-heading" title="Members">
        <ul className={listClasses} aria-labelledby="members-heading">
          {members.map((member) => {
            const self = member.userId === workspace.userId;
            const canManage = manage && !self && mayAssignRole(workspace.role, member.role);
            return (
              <li key={member.userId} className="space-y-3 p-4" data-testid="member-row">
                <div className="flex flex-wrap items-start justify-between gap-3">
                  <div className="min-w-0">
                    <p className="flex flex-wrap items-center gap-2 font-medium break-all">
                      {member.name ?? member.email}
                      <Badge tone={member.role === "OWNER" ? "info" : "neutral"}>
                        {roleWords[member.role]}
                      </Badge>
                      {self && <Badge>You</Badge>}
                    </p>
                    <p className={`${muted} break-all`}>
                      {member.name && <>{member.email} · </>}
                      Joined <When date={member.createdAt} />
                    </p>
                  </div>
                  {canManage && (
                    <div className="flex flex-wrap items-start gap-2">
                      <RoleForm
                        orgId={workspace.orgId}
                        memberId={member.userId}
                        email={member.email}
                        role={member.role}
                        roles={assignable}
                      />
                      <RemoveMemberButton
                        orgId={workspace.orgId}
                        memberId={member.userId}
                        email={member.email}
                      />
                    </div>
                  )}
                </div>
                {manage && (
                  <details>
                    <summary className="cursor-pointer text-sm font-medium text-brand-700 hover:underline dark:text-brand-300">
                      Limits:{" "}
                      {limitsLabel({
                        hour: member.hourlyLimit,
                        day: member.dailyLimit,
                        month: member.monthlyLimit,
                      })}
                      <span className="sr-only"> for {member.email}</span>
                    </summary>
                    <div className="mt-3">
                      <LimitsForm
                        orgId={workspace.orgId}
                        member={{ id: member.userId, email: member.email }}
                        limits={{
                          hour: member.hourlyLimit,
                          day: member.dailyLimit,
                          month: member.monthlyLimit,
                        }}
                        emptyMeans="the organization's member limit"
                      />
                    </div>
                  </details>
                )}
              </li>
            );
          })}
        </ul>
        <div className="flex justify-end">
          <LeaveOrgButton orgId={workspace.orgId} orgName={org.name} />
        </div>
      </Section>

      {manage && (
        <Section id="invitations-heading" title="Invitations">
          <Card>
            <h3 id="invite-heading" className="mb-3 font-semibold">
              Invite someone
            </h3>
            <InviteForm orgId={workspace.orgId} roles={assignable} mailConfigured={isMailConfigured()} />
          </Card>
          {invitations.length === 0 ? (
            <p className={muted}>No invitations yet.</p>
          ) : (
            <ul className={listClasses} aria-label="Invitations sent">
              {invitations.map((invitation) => {
                const badge = stateBadges[invitation.state];
                return (
                  <li
                    key={invitation.id}
                    className="flex flex-wrap items-center justify-between gap-x-4 gap-y-2 p-4"
                    data-testid="org-invitation-row"
                  >
                    <div className="min-w-0 space-y-1">
                      <p className="flex flex-wrap items-center gap-2 font-medium break-all">
                        {invitation.email}
                        <Badge>{roleWords[invitation.role]}</Badge>
                        <Badge tone={badge.tone}>{badge.label}</Badge>
                      </p>
                      <p className={muted}>
                        Sent <When date={invitation.createdAt} />
                        {" · "}
                        {invitation.state === "accepted" && invitation.acceptedAt ? (
                          <>
                            accepted <When date={invitation.acceptedAt} />
                          </>
                        ) : invitation.state === "revoked" && invitation.revokedAt ? (
                          <>
                            revoked <When date={invitation.revokedAt} />
                          </>
                        ) : (
                          <>
                            {invitation.state === "expired" ? "expired" : "expires"}{" "}
                            <When date={invitation.expiresAt} />
                          </>
                        )}
                      </p>
                    </div>
                    {invitation.state === "pending" && (
                      <RevokeOrgInvitationButton
                        orgId={workspace.orgId}
                        invitationId={invitation.id}
                        email={invitation.email}
                      />
                    )}
                  </li>
                );
              })}
            </ul>
          )}
        </Section>
      )}

      {manage && (
        <Section id="limits-heading" title="Member limits">
          <Card className="space-y-2">
            <p className={muted}>
              Every member&apos;s calls through the organization&apos;s servers fit inside its plan&apos;s
              limits; these limit each member further, unless a member has limits of their own (under their
              name above).{" "}
              <Link
                href="/org/audit"
                className="font-medium text-brand-700 hover:underline dark:text-brand-300"
              >
                Changes are in the audit trail.
              </Link>
            </p>
            <LimitsForm orgId={workspace.orgId} limits={defaultLimits} emptyMeans="no member limit" />
          </Card>
        </Section>
      )}
    </div>
  );
}

export default async function OrgOverviewPage() {
  const { user, workspace } = await requireWorkspace();
  if (workspace.kind === "personal") return <PersonalWorkspacePage userId={user.id} />;
  return <OrgPage workspace={workspace} />;
}
