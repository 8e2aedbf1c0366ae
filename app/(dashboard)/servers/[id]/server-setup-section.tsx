"use client";
import { SetupGuide } from "../setup-guide";
// The setup steps of a server's page, with the new URL filled in once one was made here.
import { useNewUrl } from "./new-url-context";

export function ServerSetupSection({ appUrl, serverName }: { appUrl: string; serverName: string }) {
  const { url } = useNewUrl();
  return <SetupGuide url={url} appUrl={appUrl} serverName={serverName} />;
}
