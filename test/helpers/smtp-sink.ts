// A local SMTP server on 127.0.0.1 that keeps every message it receives, parsed, for tests to read.
// With credentials it requires them (AUTH PLAIN or LOGIN) and refuses any others, as a real one would.
import type { AddressInfo } from "node:net";
import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

export type SmtpSink = {
  port: number;
  /** smtp://[user:password@]127.0.0.1:<port> */
  url: string;
  messages: ParsedMail[];
  /** The user names that signed in, in order. */
  logins: string[];
  /** Resolves with the first message sent to this address (waits for it). */
  waitForMessageTo: (address: string, timeoutMs?: number) => Promise<ParsedMail>;
  stop: () => Promise<void>;
};

export async function startSmtpSink(
  options: { credentials?: { user: string; password: string } } = {},
): Promise<SmtpSink> {
  const messages: ParsedMail[] = [];
  const logins: string[] = [];
  const { credentials } = options;
  const server = new SMTPServer({
    // Plain text on loopback: no certificate to make, and AUTH allowed without TLS.
    disabledCommands: credentials ? ["STARTTLS"] : ["STARTTLS", "AUTH"],
    allowInsecureAuth: true,
    authOptional: !credentials,
    logger: false,
    onAuth(auth, _session, callback) {
      if (credentials && auth.username === credentials.user && auth.password === credentials.password) {
        logins.push(credentials.user);
        callback(null, { user: auth.username });
      } else callback(new Error("Invalid user name or password"));
    },
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          messages.push(mail);
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  const auth = credentials
    ? `${encodeURIComponent(credentials.user)}:${encodeURIComponent(credentials.password)}@`
    : "";
  const sentTo = (mail: ParsedMail, address: string) =>
    [mail.to ?? []].flat().some((to) => to.value.some((entry) => entry.address === address));
  return {
    port,
    url: `smtp://${auth}127.0.0.1:${port}`,
    messages,
    logins,
    async waitForMessageTo(address, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = messages.find((mail) => sentTo(mail, address));
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`No mail to ${address} within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
