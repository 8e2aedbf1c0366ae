import { createServer, type Server } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { resetEnvCache } from "@/env";
import { startSmtpSink } from "@/test/helpers/smtp-sink";
import { getMailFrom, isMailConfigured, MailError, sendMail } from "./send-mail";

const message = {
  to: "ada@example.com",
  subject: "Hello from Toolgate",
  text: "Plain words.",
  html: "<p>Plain words.</p>",
};

function withEnv(values: Record<string, string | undefined>): void {
  for (const [key, value] of Object.entries(values)) vi.stubEnv(key, value);
  resetEnvCache();
}

async function failureOf(promise: Promise<unknown>): Promise<MailError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(MailError);
    return error as MailError;
  }
  throw new Error("the mail was sent");
}

afterEach(() => {
  vi.unstubAllEnvs();
  resetEnvCache();
});

describe("sendMail", () => {
  it("is configured only once SMTP_URL is set", () => {
    withEnv({ SMTP_URL: "" });
    expect(isMailConfigured()).toBe(false);
    withEnv({ SMTP_URL: "smtps://mail.example.com" });
    expect(isMailConfigured()).toBe(true);
  });

  it("sends plain text and HTML from Toolgate at APP_URL's host, unless MAIL_FROM says otherwise", async () => {
    const sink = await startSmtpSink();
    try {
      withEnv({ SMTP_URL: sink.url, APP_URL: "https://tools.example.org", MAIL_FROM: undefined });
      expect(getMailFrom()).toBe("Toolgate <no-reply@tools.example.org>");
      await sendMail(message);
      const mail = await sink.waitForMessageTo("ada@example.com");
      expect(mail.from?.value).toEqual([{ name: "Toolgate", address: "no-reply@tools.example.org" }]);
      expect(mail.subject).toBe("Hello from Toolgate");
      expect(mail.text?.trim()).toBe("Plain words.");
      expect(mail.html).toContain("<p>Plain words.</p>");

      withEnv({ SMTP_URL: sink.url, MAIL_FROM: "Ops <ops@example.net>" });
      await sendMail({ ...message, to: "bob@example.com" });
      expect((await sink.waitForMessageTo("bob@example.com")).from?.value).toEqual([
        { name: "Ops", address: "ops@example.net" },
      ]);
    } finally {
      await sink.stop();
    }
  });

  it("signs in with the URL's user name and password, and says so plainly when they are refused", async () => {
    const sink = await startSmtpSink({ credentials: { user: "toolgate", password: "s3cret/pass word" } });
    try {
      withEnv({ SMTP_URL: sink.url });
      await sendMail(message);
      expect(sink.logins).toEqual(["toolgate"]);
      expect(sink.messages).toHaveLength(1);

      withEnv({ SMTP_URL: `smtp://toolgate:wrong-password-1234@127.0.0.1:${sink.port}` });
      const error = await failureOf(sendMail(message));
      expect(error.message).toBe(
        `The mail server at 127.0.0.1:${sink.port} (SMTP_URL) did not accept the user name and password.`,
      );
      expect(error.message).not.toContain("wrong-password-1234");
      expect(sink.messages).toHaveLength(1);
    } finally {
      await sink.stop();
    }
  });

  it("fails at once, clearly, when the mail server refuses the connection", async () => {
    const sink = await startSmtpSink();
    await sink.stop();
    withEnv({ SMTP_URL: `smtp://user:hunter2-password@127.0.0.1:${sink.port}` });
    const started = Date.now();
    const error = await failureOf(sendMail(message));
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(error.message).toBe(
      `Toolgate could not connect to the mail server at 127.0.0.1:${sink.port} (SMTP_URL): it refused the connection.`,
    );
    expect(error.message).not.toContain("hunter2");
  });

  it("gives up on a server that accepts the connection but never answers, within the timeout", async () => {
    const silent: Server = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const port = (silent.address() as { port: number }).port;
    try {
      withEnv({ SMTP_URL: `smtp://127.0.0.1:${port}` });
      const started = Date.now();
      const error = await failureOf(sendMail(message, { connectMs: 500, greetingMs: 500, socketMs: 1_000 }));
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(error.message).toBe(`The mail server at 127.0.0.1:${port} (SMTP_URL) did not answer in time.`);
    } finally {
      silent.close();
    }
  });

  it("says that SMTP_URL is not set rather than trying to send", async () => {
    withEnv({ SMTP_URL: undefined });
    expect((await failureOf(sendMail(message))).message).toBe(
      "SMTP_URL is not set, so Toolgate cannot send mail.",
    );
  });
});
