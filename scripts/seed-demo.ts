// `npm run seed:demo [-- --json] [--email E]`: creates (or finds) the demo account and its MCP
// server, and prints how to sign in and the URL to paste into an MCP client.
import { parseArgs } from "node:util";
import { defaultDemoEmail, seedDemo } from "@/lib/demo/seed-demo";
import { runCommand } from "@/lib/runtime/run-command";
import { adoptLocalInstanceSettings } from "@/lib/runtime/runtime-file";
import { emailSchema } from "@/lib/users/schemas";

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { json: { type: "boolean" }, email: { type: "string" } } });
  const email = emailSchema.safeParse(values.email ?? defaultDemoEmail);
  if (!email.success) throw new Error(`--email: ${email.error.issues[0]?.message}`);
  await adoptLocalInstanceSettings();
  const demo = await seedDemo(email.data);
  if (values.json) {
    console.log(JSON.stringify({ email: demo.email, password: demo.password, mcpUrl: demo.mcpUrl }));
    return;
  }
  console.log(`Demo account ready.
  Sign in:  ${demo.email} / ${demo.password}
  MCP URL:  ${demo.mcpUrl}

Paste the MCP URL into your MCP client, for example:
  npx @modelcontextprotocol/inspector --cli ${demo.mcpUrl} --transport http --method tools/list`);
}

runCommand(main);
