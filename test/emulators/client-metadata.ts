// An AI app's website that publishes client ID metadata documents over https (the MCP
// authorization specification's "Client ID Metadata Documents"): each document sits at its own
// URL, which is also its client_id. Tests publish a good document, or one that is wrong in a
// chosen way (another client_id, not JSON, too large), and see what the platform fetched.
import { testCertificate } from "../helpers/tls";
import { type Emulator, type Reply, route, startEmulator } from "./emulator";

export type ClientMetadataHost = Emulator & {
  /** The URL of /clients/<name>.json, the client_id of a document published under `name`. */
  urlOf: (name: string) => string;
  /** Serves `reply` at /clients/<name>.json and returns that URL. */
  publish: (name: string, reply: Reply) => string;
  /** Serves a document at /clients/<name>.json whose client_id is its URL, with `metadata` added. */
  publishDocument: (name: string, metadata: Record<string, unknown>) => string;
};

export async function startClientMetadataHost(): Promise<ClientMetadataHost> {
  const published = new Map<string, Reply>();
  const emulator = await startEmulator({
    name: "client-metadata",
    tls: await testCertificate(),
    routes: [
      route("GET", "/clients/:file", (_request, params) => {
        return published.get(params.file ?? "") ?? { status: 404, json: { error: "not found" } };
      }),
    ],
  });
  const urlOf = (name: string) => `${emulator.url}/clients/${name}.json`;
  const publish = (name: string, reply: Reply) => {
    published.set(`${name}.json`, reply);
    return urlOf(name);
  };
  return {
    ...emulator,
    urlOf,
    publish,
    publishDocument: (name, metadata) => publish(name, { json: { client_id: urlOf(name), ...metadata } }),
  };
}
