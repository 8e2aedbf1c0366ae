// APIs described by OpenAPI documents as apps (being built).
import type { AppDriver } from "../app-driver";

export const openApiDriver: AppDriver = {
  prepare: async () => {
    throw new Error("OpenAPI apps are not supported yet.");
  },
  connect: () => ({ auth: { type: "none" } }),
  discover: async () => {
    throw new Error("OpenAPI apps are not supported yet.");
  },
  run: async () => {
    throw new Error("OpenAPI apps are not supported yet.");
  },
};
