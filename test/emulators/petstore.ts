// The OpenAPI petstore as a running API: it publishes its own description (petstore.yaml, whose
// schemas are in a second document reached by a relative $ref) and checks requests as the
// description says: the X-Api-Key header, a JSON body with a name and no unknown fields, integer
// limits, repeated `tags` query parameters. `editDescription` changes what it publishes from then
// on (a changed operation, for the review of a changed definition).
import { readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { checkBody, type EmulatedRequest, type Handler, type Reply, route, startEmulator } from "./emulator";

export const petstoreKey = "pk_live_7d1f0c2b9a8e4f36";

const fixtures = path.resolve(import.meta.dirname, "../fixtures/openapi");
const documents: Record<string, string> = {
  "/openapi.yaml": readFileSync(path.join(fixtures, "petstore.yaml"), "utf8"),
  "/petstore-schemas.yaml": readFileSync(path.join(fixtures, "petstore-schemas.yaml"), "utf8"),
};

type Pet = { id: number; name: string; tag: string | null; category?: unknown };

const error = (status: number, message: string): Reply => ({ status, json: { code: status, message } });

const category: z.ZodType<unknown> = z.lazy(() =>
  z.strictObject({ name: z.string().optional(), subcategories: z.array(category).optional() }),
);
const newPet = z.strictObject({
  name: z.string().min(1),
  tag: z.string().nullable().optional(),
  category: category.optional(),
});

export async function startPetstoreEmulator() {
  const pets = new Map<number, Pet>();
  let nextId = 1;
  let edit: (text: string) => string = (text) => text;

  const authenticated =
    (handle: Handler): Handler =>
    (request, params) =>
      request.headers["x-api-key"] === petstoreKey
        ? handle(request, params)
        : error(401, "Invalid or missing API key (X-Api-Key).");

  const publish = (name: string) =>
    route("GET", name, () => ({
      text: edit(documents[name] ?? ""),
      headers: { "content-type": "application/yaml" },
    }));

  const limitOf = (request: EmulatedRequest): number | Reply => {
    const raw = request.query.get("limit");
    if (raw === null) return 20;
    const limit = Number(raw);
    return Number.isInteger(limit) && limit >= 1 && limit <= 100
      ? limit
      : error(400, `limit must be an integer from 1 to 100, not "${raw}".`);
  };

  const emulator = await startEmulator({
    name: "petstore",
    notFound: (request) => error(404, `No route ${request.method} ${request.path}.`),
    routes: [
      publish("/openapi.yaml"),
      publish("/petstore-schemas.yaml"),
      // A document that has moved to the cloud metadata address (a redirect must be checked too).
      route("GET", "/moved.yaml", () => ({
        status: 302,
        headers: { location: "http://169.254.169.254/latest/openapi.yaml" },
      })),
      // A document larger than any description may be (its size is declared up front).
      route("GET", "/huge.json", () => ({ json: { padding: "x".repeat(33 * 1024 * 1024) } })),
      route(
        "GET",
        "/v1/pets",
        authenticated((request) => {
          const limit = limitOf(request);
          if (typeof limit !== "number") return limit;
          const tags = request.query.getAll("tags");
          const found = [...pets.values()].filter((pet) => tags.length === 0 || tags.includes(pet.tag ?? ""));
          return { json: found.slice(0, limit) };
        }),
      ),
      route(
        "POST",
        "/v1/pets",
        authenticated((request) => {
          if (!request.contentType.startsWith("application/json"))
            return error(415, `Send the pet as application/json, not "${request.contentType}".`);
          const checked = checkBody(request, newPet, (problem) => error(400, problem));
          if (!checked.ok) return checked.reply;
          const pet: Pet = { id: nextId++, tag: null, ...checked.body };
          pets.set(pet.id, pet);
          return { status: 201, json: pet };
        }),
      ),
      route(
        "GET",
        "/v1/pets/:petId",
        authenticated((_request, { petId = "" }) => {
          const pet = pets.get(Number(petId));
          return pet ? { json: pet } : error(404, `No pet ${petId}.`);
        }),
      ),
      route(
        "DELETE",
        "/v1/pets/:petId",
        authenticated((_request, { petId = "" }) =>
          pets.delete(Number(petId)) ? { status: 204 } : error(404, `No pet ${petId}.`),
        ),
      ),
      route(
        "PUT",
        "/v1/store/inventory",
        authenticated((request) => {
          const checked = checkBody(request, z.record(z.string(), z.number().int()), (problem) =>
            error(400, problem),
          );
          return checked.ok ? { json: checked.body } : checked.reply;
        }),
      ),
    ],
  });

  return {
    ...emulator,
    specUrl: `${emulator.url}/openapi.yaml`,
    /** Adds pets directly (a long list, for a response too large to return whole). */
    addPets: (count: number, name: (index: number) => string) => {
      for (let index = 0; index < count; index++) {
        const pet: Pet = { id: nextId++, name: name(index), tag: null };
        pets.set(pet.id, pet);
      }
    },
    /** Changes the published description from now on. */
    editDescription: (change: (text: string) => string) => {
      edit = change;
    },
  };
}

export type PetstoreEmulator = Awaited<ReturnType<typeof startPetstoreEmulator>>;
