// A call to the platform's REST API (/api/v1) with an API token, as a script would make it: the
// status, the body as text (for failure messages), and the body read as JSON when it is JSON.
export type RestAnswer<T> = { status: number; text: string; json: T };

export async function callRestApi<T = Record<string, unknown>>(
  baseUrl: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<RestAnswer<T>> {
  const response = await fetch(`${baseUrl}/api/v1${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body !== undefined && { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, text, json: json as T };
}
