// The consent form's POST as a (Request) => Response function (app/oauth/authorize/decision).
import { getAppUrl } from "@/env";
import { getUserFromCookies } from "@/lib/auth/session";
import { AppError } from "@/lib/errors/app-error";
import { clientAddress } from "@/lib/http/client-address";
import { decide } from "./consent";

const seeOther = (location: string) => new Response(null, { status: 303, headers: { Location: location } });

export async function answerConsent(request: Request): Promise<Response> {
  const form = await request.formData().catch(() => null);
  const field = (name: string) => {
    const value = form?.get(name);
    return typeof value === "string" ? value : "";
  };
  const requestId = field("request_id");
  const consentPage = `${getAppUrl()}/oauth/authorize?request_id=${encodeURIComponent(requestId)}`;
  const user = await getUserFromCookies(request.headers.get("cookie") ?? "");
  if (!user)
    return seeOther(
      `${getAppUrl()}/signin?next=${encodeURIComponent(consentPage.slice(getAppUrl().length))}`,
    );
  const server = field("server");
  try {
    const location = await decide(
      {
        userId: user.id,
        requestId,
        consentToken: field("consent_token"),
        allow: field("decision") === "allow",
        serverId: server && server !== "new" ? server : undefined,
        newServerName: field("new_server_name"),
      },
      { ip: clientAddress(request.headers), userAgent: request.headers.get("user-agent") },
    );
    return seeOther(location);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    // A code, not the message: the page says what it means, so a link cannot make it say anything.
    return seeOther(`${consentPage}&problem=${encodeURIComponent(error.code)}`);
  }
}
