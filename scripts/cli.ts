// `npm run cli -- <command>`: administration from a terminal. Uses DATABASE_URL and REDIS_URL, or
// those of the `npm start` running on embedded defaults in DATA_DIR.
import { parseArgs } from "node:util";
import { z } from "zod";
import { getEnv } from "@/env";
import type { AuditContext } from "@/lib/audit/record-audit-event";
import { minimumRetentionDays, pruneOldCalls } from "@/lib/calls/retention";
import { isAppError } from "@/lib/errors/app-error";
import { createOrg, orgNameSchema } from "@/lib/orgs/manage-orgs";
import {
  addMemberAsOperator,
  findPlanIdByName,
  listMembersForOperator,
  listOrgsForOperator,
  setMemberLimitsAsOperator,
} from "@/lib/orgs/operator-orgs";
import { setOrgPlan } from "@/lib/orgs/org-limits";
import { orgRoles, roleWords } from "@/lib/orgs/roles";
import { systemPing } from "@/lib/queue/jobs/system-ping";
import { enqueueJob, getQueueEvents } from "@/lib/queue/queues";
import {
  listOrgsWithCallsThisMonth,
  listUsersWithCallsThisMonth,
  rebuildOrgQuotaCounters,
  rebuildQuotaCounters,
} from "@/lib/quota/usage";
import { byWindow, windowAdjectives, windowNames } from "@/lib/quota/windows";
import { runCommand } from "@/lib/runtime/run-command";
import { adoptLocalInstanceSettings } from "@/lib/runtime/runtime-file";
import { createApiToken, listApiTokens, revokeApiToken } from "@/lib/tokens/api-tokens";
import { createUser } from "@/lib/users/create-user";
import { getUserByEmailOrThrow } from "@/lib/users/find-user";
import { emailSchema, passwordSchema } from "@/lib/users/schemas";
import { setLimitOverrides } from "@/lib/users/set-limit-overrides";
import { rotateEncryptionKeys } from "@/lib/vault/rotate-keys";

const usage = `Usage: npm run cli -- <command>

  users create --email E --password P [--name N] [--admin]
                                              also while sign-up is by invitation only: whoever
                                              runs the CLI has the database itself
  tokens create --email E [--name N] [--expires-days 30|90|365]
                                              prints a personal API token on the last line
  tokens list --email E                       the person's tokens (id, name, created, last used, expiry)
  tokens revoke --email E --id ID             revokes one of them at once
  limits set --email E [--hourly N] [--daily N] [--monthly N]
                                              N is a whole number >= 0, or "plan" to use the plan's limit
  limits set --org ID [--plan NAME] [--hourly N] [--daily N] [--monthly N]
                                              an organization's plan and its limits for the whole org
  limits set --org ID --email E [--hourly N] [--daily N] [--monthly N]
                                              one member's limits inside the org ("plan": the org's
                                              member default)
  orgs create --email OWNER --name N          prints the new organization's id on the last line
  orgs list [--email E]                       every organization, or those E belongs to (with role)
  orgs members --org ID                       its members, their roles and own limits
  orgs add-member --org ID --email E --role OWNER|ADMIN|MEMBER|VIEWER
                                              adds an account directly, without an invitation
  calls prune [--days N]                      delete calls older than N days (35 or more;
                                              by default CALL_RETENTION_DAYS)
  quota rebuild [--email E]                   rewrite Redis quota counters from the call ledger
                                              (every user with calls this month, or one user)
  keys rotate                                 re-encrypt stored credentials and secret field values
                                              under a new key
                                              (embedded defaults: a new key is generated; otherwise
                                              set ENCRYPTION_KEY to the new key and ENCRYPTION_OLD_KEYS
                                              to the old one first)
  worker ping                                 round trip through the queue to a worker`;

class UsageError extends Error {}

function parse<T extends z.ZodType>(schema: T, value: unknown, flag: string): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success)
    throw new UsageError(`--${flag}: ${result.error.issues[0]?.message ?? "invalid value"}`);
  return result.data;
}

const limitValue = z
  .string({ error: "missing value" })
  .refine((text) => text === "plan" || /^\d+$/.test(text), 'must be a whole number >= 0, or "plan"')
  .transform((text) => (text === "plan" ? null : Number(text)))
  .refine((value) => value === null || value <= 1_000_000_000, "must be at most 1000000000")
  .optional();

const expiresDays = z
  .enum(["30", "90", "365"], { error: "must be 30, 90 or 365" })
  .transform((days) => Number(days) as 30 | 90 | 365)
  .optional();

const retentionDays = z
  .string({ error: "missing value" })
  .regex(/^\d+$/, `must be a whole number of days, at least ${minimumRetentionDays}`)
  .transform(Number)
  .refine((days) => days >= minimumRetentionDays, `must be at least ${minimumRetentionDays}`);

const requiredText = z.string({ error: "missing value" }).trim().min(1, "missing value");
const roleFlag = z
  .string({ error: "missing value" })
  .transform((text) => text.toUpperCase())
  .pipe(z.enum(orgRoles, { error: "must be OWNER, ADMIN, MEMBER or VIEWER" }));

type Flags = Partial<Record<"org" | "email" | "plan" | "hourly" | "daily" | "monthly", string>>;

/** `limits set --org`: the organization's plan and limits, or with --email one member's. */
async function setOrgLimits(values: Flags, context: AuditContext): Promise<void> {
  const orgId = parse(requiredText, values.org, "org");
  const email = values.email === undefined ? undefined : parse(emailSchema, values.email, "email");
  const plan = values.plan === undefined ? undefined : parse(requiredText, values.plan, "plan");
  if (email && plan !== undefined) throw new UsageError("--plan is the organization's: leave out --email.");
  const limits = byWindow((window) => {
    const flag = windowAdjectives[window];
    return parse(limitValue, values[flag], flag);
  });
  const given = windowNames.filter((window) => limits[window] !== undefined);
  if (given.length === 0 && plan === undefined)
    throw new UsageError(
      `limits set --org needs at least one of --hourly, --daily, --monthly${email ? "" : ", --plan"}.`,
    );
  await adoptLocalInstanceSettings();
  const shown = given.map((window) => {
    const value = limits[window];
    return `${windowAdjectives[window]} ${value === null ? (email ? "from the organization" : "from plan") : value}`;
  });
  const settings = Object.fromEntries(given.map((window) => [window, limits[window]]));
  if (email) {
    const user = await getUserByEmailOrThrow(email);
    await setMemberLimitsAsOperator(orgId, user.id, settings, context);
    console.log(`Limits for ${user.email} in ${orgId}: ${shown.join(", ")}`);
    return;
  }
  const planId = plan === undefined ? undefined : await findPlanIdByName(plan);
  await setOrgPlan(
    orgId,
    { ...(planId && { planId }), ...(given.length > 0 && { limits: settings }) },
    context,
  );
  console.log(
    `Limits for organization ${orgId}: ${[...(plan ? [`plan ${plan}`] : []), ...shown].join(", ")}`,
  );
}

async function run(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      email: { type: "string" },
      password: { type: "string" },
      name: { type: "string" },
      admin: { type: "boolean" },
      hourly: { type: "string" },
      daily: { type: "string" },
      monthly: { type: "string" },
      "expires-days": { type: "string" },
      days: { type: "string" },
      id: { type: "string" },
      org: { type: "string" },
      plan: { type: "string" },
      role: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  const command = positionals.join(" ");
  if (values.help || command === "") {
    console.log(usage);
    return;
  }
  const context = { actorId: null, ip: "cli", userAgent: "toolgate-cli" };
  switch (command) {
    case "users create": {
      const email = parse(emailSchema, values.email, "email");
      const password = parse(passwordSchema, values.password, "password");
      await adoptLocalInstanceSettings();
      const user = await createUser(
        { email, password, name: values.name, admin: values.admin, createdBy: "operator" },
        context,
      );
      console.log(`Created ${user.role === "ADMIN" ? "admin" : "user"} ${user.email} (${user.id})`);
      return;
    }
    case "tokens create": {
      const email = parse(emailSchema, values.email, "email");
      await adoptLocalInstanceSettings();
      const user = await getUserByEmailOrThrow(email);
      const expiresInDays = parse(expiresDays, values["expires-days"], "expires-days");
      const token = await createApiToken(
        user.id,
        { name: values.name ?? "CLI token", expiresInDays: expiresInDays ?? null },
        context,
      );
      const expiry = token.expiresAt ? `, expires ${token.expiresAt.toISOString()}` : "";
      console.log(`Created API token "${token.name}" for ${user.email}${expiry}. It is shown only once:`);
      console.log(token.token);
      return;
    }
    case "tokens list": {
      const email = parse(emailSchema, values.email, "email");
      await adoptLocalInstanceSettings();
      const user = await getUserByEmailOrThrow(email);
      const tokens = await listApiTokens(user.id);
      if (tokens.length === 0) console.log(`${user.email} has no API tokens.`);
      for (const token of tokens) {
        const lastUsed = token.lastUsedAt?.toISOString() ?? "never used";
        const expiry = token.expiresAt ? `expires ${token.expiresAt.toISOString()}` : "no expiry";
        console.log(
          `${token.id}  ${token.name}  created ${token.createdAt.toISOString()}  ${lastUsed}  ${expiry}`,
        );
      }
      return;
    }
    case "tokens revoke": {
      const email = parse(emailSchema, values.email, "email");
      const id = parse(z.string({ error: "missing value" }).min(1, "missing value"), values.id, "id");
      await adoptLocalInstanceSettings();
      const user = await getUserByEmailOrThrow(email);
      await revokeApiToken(user.id, id, context);
      console.log(`Revoked API token ${id} of ${user.email}; it is refused from now on.`);
      return;
    }
    case "limits set": {
      if (values.org !== undefined) {
        await setOrgLimits(values, context);
        return;
      }
      const email = parse(emailSchema, values.email, "email");
      // The flags are named --hourly, --daily, --monthly.
      const overrides = byWindow((window) => {
        const flag = windowAdjectives[window];
        return parse(limitValue, values[flag], flag);
      });
      const given = windowNames.filter((window) => overrides[window] !== undefined);
      if (given.length === 0) {
        throw new UsageError("limits set needs at least one of --hourly, --daily, --monthly.");
      }
      await adoptLocalInstanceSettings();
      const user = await getUserByEmailOrThrow(email);
      await setLimitOverrides(user.id, overrides, context);
      const shown = given.map((window) => {
        const value = overrides[window];
        return `${windowAdjectives[window]} ${value === null ? "from plan" : value}`;
      });
      console.log(`Limits for ${user.email}: ${shown.join(", ")}`);
      return;
    }
    case "orgs create": {
      const email = parse(emailSchema, values.email, "email");
      const name = parse(orgNameSchema, values.name, "name");
      await adoptLocalInstanceSettings();
      const owner = await getUserByEmailOrThrow(email);
      const org = await createOrg(owner.id, name, context);
      console.log(`Created organization "${org.name}" owned by ${owner.email}. Its id:`);
      console.log(org.id);
      return;
    }
    case "orgs list": {
      const email = values.email === undefined ? undefined : parse(emailSchema, values.email, "email");
      await adoptLocalInstanceSettings();
      const user = email ? await getUserByEmailOrThrow(email) : undefined;
      const orgs = await listOrgsForOperator(user?.id);
      if (orgs.length === 0)
        console.log(user ? `${user.email} belongs to no organization.` : "No organizations.");
      for (const org of orgs)
        console.log(
          `${org.id}  ${org.name}  ${org.memberCount} member(s)${org.role ? `  ${roleWords[org.role].toLowerCase()}` : ""}`,
        );
      return;
    }
    case "orgs members": {
      const orgId = parse(requiredText, values.org, "org");
      await adoptLocalInstanceSettings();
      const { org, members } = await listMembersForOperator(orgId);
      console.log(`${org.name} (${org.id}): ${members.length} member(s)`);
      for (const member of members) {
        const limits = [
          member.hourlyLimit !== null && `hourly ${member.hourlyLimit}`,
          member.dailyLimit !== null && `daily ${member.dailyLimit}`,
          member.monthlyLimit !== null && `monthly ${member.monthlyLimit}`,
        ].filter(Boolean);
        console.log(
          `${member.userId}  ${member.email}  ${roleWords[member.role].toLowerCase()}${limits.length ? `  ${limits.join(", ")}` : ""}`,
        );
      }
      return;
    }
    case "orgs add-member": {
      const orgId = parse(requiredText, values.org, "org");
      const email = parse(emailSchema, values.email, "email");
      const role = parse(roleFlag, values.role, "role");
      await adoptLocalInstanceSettings();
      const user = await getUserByEmailOrThrow(email);
      const { orgName } = await addMemberAsOperator(orgId, user.id, role, context);
      console.log(`Added ${user.email} to ${orgName} as ${roleWords[role].toLowerCase()}.`);
      return;
    }
    case "calls prune": {
      await adoptLocalInstanceSettings();
      const days =
        values.days === undefined ? getEnv().CALL_RETENTION_DAYS : parse(retentionDays, values.days, "days");
      if (days === 0) {
        console.log("CALL_RETENTION_DAYS is 0: every call is kept.");
        return;
      }
      const deleted = await pruneOldCalls(days);
      console.log(`Deleted ${deleted} call(s) older than ${days} days.`);
      return;
    }
    case "quota rebuild": {
      const email = values.email === undefined ? undefined : parse(emailSchema, values.email, "email");
      await adoptLocalInstanceSettings();
      const userIds = email ? [(await getUserByEmailOrThrow(email)).id] : await listUsersWithCallsThisMonth();
      for (const userId of userIds) await rebuildQuotaCounters(userId);
      console.log(`Rebuilt quota counters for ${userIds.length} user(s) from the ledger.`);
      if (email) return;
      // Organizations' counters, and their members' shares, are rebuilt with everyone's.
      const orgIds = await listOrgsWithCallsThisMonth();
      for (const orgId of orgIds) await rebuildOrgQuotaCounters(orgId);
      console.log(`Rebuilt quota counters for ${orgIds.length} organization(s) from the ledger.`);
      return;
    }
    case "keys rotate": {
      await adoptLocalInstanceSettings();
      const { generatedKey, reencrypted, reencryptedFieldValues, reencryptedClients, reencryptedAppHeaders } =
        await rotateEncryptionKeys();
      console.log(
        `${generatedKey ? "Generated a new encryption key. " : ""}Re-encrypted ${reencrypted} connection(s), ${reencryptedFieldValues} secret field value(s), ${reencryptedClients} OAuth client secret(s) and ${reencryptedAppHeaders} added app's header set(s) under the current key.`,
      );
      return;
    }
    case "worker ping": {
      await adoptLocalInstanceSettings();
      const events = getQueueEvents(systemPing.queue);
      await events.waitUntilReady();
      const job = await enqueueJob(systemPing, { sentAt: Date.now() });
      const result = (await job.waitUntilFinished(events, 10_000)) as { pid: number; queuedMs: number };
      console.log(`Worker ${result.pid} answered; the job waited ${result.queuedMs} ms in the queue.`);
      return;
    }
    default:
      throw new UsageError(`Unknown command "${command}".\n\n${usage}`);
  }
}

runCommand(
  () => run(process.argv.slice(2)),
  (error) => (isAppError(error) || error instanceof UsageError || error.name === "TypeError" ? 2 : 1),
);
