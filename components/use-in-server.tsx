// "Use in a server" for an app, on its page and on the connect page of an app without accounts,
// carrying the app through: straight to that app's actions in the person's one server, a choice of
// servers when there are several, and with none, to creating one, after which the app's actions
// are the next step.
import { ButtonLink } from "@/components/kit/button";

type Server = { id: string; name: string };

const addToolPath = (serverId: string, slug: string) =>
  `/servers/${serverId}/tools/new?app=${encodeURIComponent(slug)}`;

export function UseInServer({
  app,
  servers,
  primary,
}: {
  app: { slug: string; name: string };
  servers: Server[];
  primary: boolean;
}) {
  const variant = primary ? "primary" : "secondary";
  const [only] = servers;
  if (servers.length === 0)
    return (
      <ButtonLink href={`/servers?app=${encodeURIComponent(app.slug)}`} variant={variant}>
        Use in a server
      </ButtonLink>
    );
  if (servers.length === 1 && only)
    return (
      <ButtonLink href={addToolPath(only.id, app.slug)} variant={variant}>
        Use in {only.name}
      </ButtonLink>
    );
  return (
    <details className="relative">
      <summary className="cursor-pointer list-none rounded-md border border-zinc-300 bg-white px-4 py-2 text-sm font-semibold text-zinc-800 hover:bg-zinc-50 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100 dark:hover:bg-zinc-800">
        Use in a server
      </summary>
      <ul
        aria-label={`Servers to use ${app.name} in`}
        className="absolute right-0 z-10 mt-1 min-w-56 rounded-md border border-zinc-200 bg-white p-1 shadow-md dark:border-zinc-800 dark:bg-zinc-900"
      >
        {servers.map((server) => (
          <li key={server.id}>
            <a
              href={addToolPath(server.id, app.slug)}
              className="block rounded px-3 py-2 text-sm hover:bg-zinc-100 dark:hover:bg-zinc-800"
            >
              {server.name}
            </a>
          </li>
        ))}
      </ul>
    </details>
  );
}
