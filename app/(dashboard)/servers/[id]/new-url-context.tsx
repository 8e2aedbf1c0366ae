"use client";
// A URL made on the server's page (by "Show a new URL") is shared by the URL section and the setup
// steps, in client memory only: it is gone on reload, as the product promises.
import { createContext, type ReactNode, useContext, useState } from "react";

type NewUrl = { url: string | undefined; setUrl: (url: string) => void };

const NewUrlContext = createContext<NewUrl>({ url: undefined, setUrl: () => {} });

export function NewUrlProvider({ children }: { children: ReactNode }) {
  const [url, setUrl] = useState<string>();
  return <NewUrlContext.Provider value={{ url, setUrl }}>{children}</NewUrlContext.Provider>;
}

export function useNewUrl(): NewUrl {
  return useContext(NewUrlContext);
}
