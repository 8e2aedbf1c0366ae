import type { Metadata } from "next";
import { Card } from "@/components/kit/card";
import { Notice } from "@/components/kit/notice";
import { PageHeader } from "@/components/kit/page-header";
import { requireUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { ChangePasswordForm } from "./change-password-form";
import { DeleteAccountForm } from "./delete-account-form";

export const metadata: Metadata = { title: "Account" };

export default async function AccountPage() {
  const user = await requireUser();
  const account = await getDb().user.findUniqueOrThrow({
    where: { id: user.id },
    select: { passwordHash: true, identities: { select: { provider: true } } },
  });
  const providers = account.identities.map((identity) => identity.provider);
  return (
    <div className="mx-auto max-w-3xl space-y-8">
      <PageHeader title="Account" description="How you sign in to Toolgate." />
      <Card>
        <dl className="grid gap-2 text-sm sm:grid-cols-[10rem_1fr]">
          <dt className="font-medium">Email</dt>
          <dd data-testid="account-email">{user.email}</dd>
          <dt className="font-medium">Signs in with</dt>
          <dd>
            {[
              account.passwordHash ? "a password" : null,
              ...providers.map((provider) => `${provider[0]?.toUpperCase()}${provider.slice(1)}`),
            ]
              .filter(Boolean)
              .join(", ")}
          </dd>
        </dl>
      </Card>
      {account.passwordHash ? (
        <ChangePasswordForm />
      ) : (
        <Notice>This account signs in with {providers.join(" or ")} and has no password to change.</Notice>
      )}
      <DeleteAccountForm email={user.email} hasPassword={account.passwordHash !== null} />
    </div>
  );
}
