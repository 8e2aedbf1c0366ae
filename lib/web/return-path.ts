// Where a person goes back to after connecting an account from a tool's form. Only the platform's
// own tool pages qualify, as a path: nothing from a request can send the browser elsewhere.
const toolFormPath =
  /^\/servers\/[A-Za-z0-9_-]{1,64}\/tools\/(new|[A-Za-z0-9_-]{1,64})(\?[A-Za-z0-9_=&%.-]{0,200})?$/;

/** `value` if it is the path of a tool form on this platform, else undefined. */
export function toolFormReturnPath(value: unknown): string | undefined {
  return typeof value === "string" && toolFormPath.test(value) ? value : undefined;
}

/** The return path with the new connection named, for the form to select it. */
export function returnWithConnection(path: string, connectionId: string): string {
  const [pathname, query = ""] = path.split("?", 2);
  const params = new URLSearchParams(query);
  params.set("connected", connectionId);
  return `${pathname}?${params}`;
}
