// Outgoing mail through SMTP_URL: one message at a time, with timeouts so that a dead mail server
// fails a request in seconds instead of hanging it. Failures come back as MailError, whose message
// says in plain words what went wrong and never holds the SMTP password.
import nodemailer, { type Transporter } from "nodemailer";
import { getAppUrl, getEnv } from "@/env";
import { createLogger } from "@/lib/log/logger";

export type MailMessage = { to: string; subject: string; text: string; html: string };

export type MailTimeouts = { connectMs: number; greetingMs: number; socketMs: number };

const defaultTimeouts: MailTimeouts = { connectMs: 10_000, greetingMs: 10_000, socketMs: 20_000 };

export class MailError extends Error {}

type SmtpServer = { host: string; port: number; secure: boolean; user?: string; password?: string };

/** Whether SMTP_URL is set, so that Toolgate sends mail rather than showing links to pass on. */
export function isMailConfigured(): boolean {
  return getEnv().SMTP_URL !== undefined;
}

/** The sender: MAIL_FROM, or "Toolgate <no-reply@<APP_URL's host>>". */
export function getMailFrom(): string {
  return getEnv().MAIL_FROM ?? `Toolgate <no-reply@${new URL(getAppUrl()).hostname}>`;
}

function readSmtpUrl(): SmtpServer {
  const value = getEnv().SMTP_URL;
  if (!value) throw new MailError("SMTP_URL is not set, so Toolgate cannot send mail.");
  const url = new URL(value);
  const secure = url.protocol === "smtps:";
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, "$1"),
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    user: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
  };
}

let cached: { key: string; transporter: Transporter } | undefined;

function getTransporter(server: SmtpServer, timeouts: MailTimeouts): Transporter {
  const key = JSON.stringify([server, timeouts]);
  if (cached?.key === key) return cached.transporter;
  const transporter = nodemailer.createTransport({
    host: server.host,
    port: server.port,
    secure: server.secure,
    auth: server.user ? { user: server.user, pass: server.password ?? "" } : undefined,
    connectionTimeout: timeouts.connectMs,
    greetingTimeout: timeouts.greetingMs,
    socketTimeout: timeouts.socketMs,
  });
  cached = { key, transporter };
  return transporter;
}

type NodemailerError = Error & { code?: string; responseCode?: number; errno?: string };

/** What went wrong, for the person who asked Toolgate to send: no error codes, no secrets. */
function describeFailure(error: NodemailerError, server: SmtpServer): string {
  const where = `the mail server at ${server.host}:${server.port} (SMTP_URL)`;
  const text = `${error.code ?? ""} ${error.message}`;
  if (/ECONNREFUSED/.test(text)) return `Toolgate could not connect to ${where}: it refused the connection.`;
  if (/ENOTFOUND|EAI_AGAIN/.test(text)) return `Toolgate could not find ${where}: no such host.`;
  if (error.code === "ETIMEDOUT" || /timeout/i.test(text))
    return `${capitalize(where)} did not answer in time.`;
  if (error.code === "EAUTH") return `${capitalize(where)} did not accept the user name and password.`;
  if (error.code === "EENVELOPE") return `${capitalize(where)} refused the sender or the recipient address.`;
  if (error.code === "ETLS" || /certificate|ssl|tls/i.test(text))
    return `Toolgate could not set up a secure connection with ${where}.`;
  if (error.responseCode)
    return `${capitalize(where)} refused the message (it answered ${error.responseCode}).`;
  return `Toolgate could not send mail through ${where}.`;
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** Sends one message through SMTP_URL; throws MailError (with a plain-words reason) if it fails. */
export async function sendMail(
  message: MailMessage,
  timeouts: MailTimeouts = defaultTimeouts,
): Promise<void> {
  const server = readSmtpUrl();
  const log = createLogger({ module: "mail", smtpHost: server.host, smtpPort: server.port });
  try {
    await getTransporter(server, timeouts).sendMail({ from: getMailFrom(), ...message });
    log.info({ subject: message.subject }, "mail sent");
  } catch (error) {
    const reason = describeFailure(error as NodemailerError, server);
    // The reason and code only: nodemailer's own message can quote the server's reply or the URL.
    log.warn({ code: (error as NodemailerError).code, reason }, "mail not sent");
    throw new MailError(reason);
  }
}
