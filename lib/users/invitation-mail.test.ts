import { afterEach, describe, expect, it, vi } from "vitest";
import { resetEnvCache } from "@/env";
import { composeInvitationMail, sendInvitationMail } from "./invitation-mail";

afterEach(() => {
  vi.unstubAllEnvs();
  resetEnvCache();
});

const invitation = {
  url: "https://tools.example.org/signup?invitation=tgi_abc",
  expiresAt: new Date("2026-12-12T10:00:00Z"),
};

describe("the invitation mail", () => {
  it("says who invited whom to which Toolgate, with the link and its expiry, escaping names in HTML", () => {
    vi.stubEnv("APP_URL", "https://tools.example.org");
    resetEnvCache();
    const mail = composeInvitationMail({ ...invitation, inviter: "Ada <script> (ada@example.com)" });
    expect(mail.subject).toBe("You are invited to Toolgate");
    expect(mail.text).toContain(
      "Ada <script> (ada@example.com) invited you to create an account on Toolgate at https://tools.example.org.",
    );
    expect(mail.text).toContain(`\n${invitation.url}\n`);
    expect(mail.text).toContain("expires on Dec 12, 2026 (UTC)");
    expect(mail.html).toContain("Ada &#60;script&#62;");
    expect(mail.html).not.toContain("<script>");
    expect(mail.html).toContain(`<a href="${invitation.url}">`);
  });

  it("is not sent, and says so, while SMTP_URL is unset", async () => {
    vi.stubEnv("SMTP_URL", "");
    resetEnvCache();
    expect(await sendInvitationMail({ ...invitation, email: "vera@example.com" })).toEqual({
      status: "not_configured",
    });
  });
});
