// For the manual conformance check (bench/CONFORMANCE.md): gives the demo account a second MCP
// server whose tools carry the names the official suite's tool scenarios call, built from
// ordinary configured actions with fixed fields, as a user could set them up in the UI:
//   test_simple_text         Formatter "Transform text", text and operation fixed
//   test_error_handling      Formatter "Extract a value from JSON" on a fixed invalid document
//   test_tool_with_progress  Delay "Wait", 3 seconds fixed (a progress notification each second)
//   test_tool_with_logging   Delay "Wait", 1 second fixed (the platform logs start and end)
// Run beside `npm start` after `npm run seed:demo`: `npx tsx bench/conformance-server.ts`.
// Prints the server's URL; running it again replaces the server (and its URL).
import { parseArgs } from "node:util";
import { getDb } from "@/lib/db/client";
import { defaultDemoEmail } from "@/lib/demo/seed-demo";
import { runCommand } from "@/lib/runtime/run-command";
import { adoptLocalInstanceSettings } from "@/lib/runtime/runtime-file";
import { createServer, deleteServer } from "@/lib/servers/manage-servers";
import { type AddToolInput, addTool, addToolSchema } from "@/lib/tools/manage-tools";

const serverName = "Conformance fixtures";

const fixtures: AddToolInput[] = [
  {
    integration: "formatter",
    action: "transform_text",
    name: "test_simple_text",
    description: "Returns a fixed text (conformance fixture).",
    fields: {
      text: { mode: "fixed", value: "This is a simple text response for testing." },
      operation: { mode: "fixed", value: "trim" },
    },
  },
  {
    integration: "formatter",
    action: "extract_json",
    name: "test_error_handling",
    description: "Always fails: parses a fixed invalid JSON document (conformance fixture).",
    fields: { json: { mode: "fixed", value: "{not json" }, path: { mode: "omit" } },
  },
  {
    integration: "delay",
    action: "wait",
    name: "test_tool_with_progress",
    description: "Waits 3 seconds, reporting progress each second (conformance fixture).",
    fields: { seconds: { mode: "fixed", value: 3 } },
  },
  {
    integration: "delay",
    action: "wait",
    name: "test_tool_with_logging",
    description: "Waits 1 second; the platform logs the call's start and end (conformance fixture).",
    fields: { seconds: { mode: "fixed", value: 1 } },
  },
];

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { email: { type: "string" } } });
  await adoptLocalInstanceSettings();
  const db = getDb();
  const email = (values.email ?? defaultDemoEmail).toLowerCase();
  const user = await db.user.findUnique({ where: { email }, select: { id: true } });
  if (!user) throw new Error(`No account ${email}: run \`npm run seed:demo\` first.`);
  for (const old of await db.mcpServer.findMany({ where: { userId: user.id, name: serverName } }))
    await deleteServer(user.id, old.id);
  const server = await createServer(user.id, serverName);
  for (const tool of fixtures) await addTool(user.id, server.id, addToolSchema.parse(tool));
  console.log(server.url);
}

runCommand(main);
