import { afterEach, describe, expect, it, vi } from "vitest";
import {
  ConfigError,
  getEnv,
  getListenHost,
  getOidcSettings,
  requireEnv,
  requireSettings,
  resetEnvCache,
} from "./env";

afterEach(() => {
  vi.unstubAllEnvs();
  resetEnvCache();
});

function configErrorFor(values: Record<string, string | undefined>): ConfigError {
  for (const [key, value] of Object.entries(values)) vi.stubEnv(key, value);
  resetEnvCache();
  try {
    getEnv();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error("getEnv() accepted an invalid configuration");
}

describe("env validation", () => {
  it("names DATABASE_URL when it is not a PostgreSQL URL, without echoing its password", () => {
    const error = configErrorFor({ DATABASE_URL: "mysql://app:hunter2-secret@db.internal/app" });
    expect(error.message).toMatch(/^Invalid configuration:/);
    expect(error.message).toContain("DATABASE_URL:");
    expect(error.message).not.toContain("hunter2-secret");
  });

  it("names SMTP_URL when it is not an smtp:// or smtps:// URL, without echoing its password", () => {
    const error = configErrorFor({ SMTP_URL: "https://mailer:hunter2-secret@mail.example.com" });
    expect(error.message).toContain(
      "SMTP_URL: must be an smtp:// or smtps:// URL, like smtps://user:password@mail.example.com:465",
    );
    expect(error.message).not.toContain("hunter2-secret");
    expect(configErrorFor({ SMTP_URL: "mail.example.com:587" }).message).toContain("SMTP_URL:");
  });

  it("names MAIL_FROM when it is not an address", () => {
    expect(configErrorFor({ MAIL_FROM: "Toolgate" }).message).toContain(
      "MAIL_FROM: must be an address, like Toolgate <no-reply@example.com> or no-reply@example.com",
    );
  });

  it("names DATABASE_URL when it is not a URL at all", () => {
    expect(configErrorFor({ DATABASE_URL: "localhost:5432" }).message).toContain("DATABASE_URL:");
  });

  it("names AUTH_SECRET when it is shorter than 32 characters", () => {
    const error = configErrorFor({ AUTH_SECRET: "too-short-secret" });
    expect(error.message).toContain("AUTH_SECRET: must be at least 32 characters");
    expect(error.message).not.toContain("too-short-secret");
  });

  it("names ENCRYPTION_KEY when it is not 32 bytes of base64", () => {
    // 32 bytes, but hex: a common mistake.
    const error = configErrorFor({ ENCRYPTION_KEY: "ab".repeat(32) });
    expect(error.message).toContain("ENCRYPTION_KEY: must be 32 bytes in base64 (44 characters)");
  });

  it("lists every problem at once", () => {
    const error = configErrorFor({ AUTH_SECRET: "short", REDIS_URL: "http://127.0.0.1:6379", PORT: "70000" });
    expect(error.message).toContain("AUTH_SECRET:");
    expect(error.message).toContain("REDIS_URL:");
    expect(error.message).toContain("PORT:");
  });

  it("rejects a REDIS_PREFIX that could collide with other key spaces", () => {
    expect(configErrorFor({ REDIS_PREFIX: "a b*" }).message).toContain("REDIS_PREFIX:");
  });

  it("accepts a valid configuration and normalises ADMIN_EMAILS and empty optional values", () => {
    vi.stubEnv("DATABASE_URL", "postgresql://app@127.0.0.1:5432/app");
    vi.stubEnv("REDIS_URL", "rediss://127.0.0.1:6380");
    vi.stubEnv("AUTH_SECRET", "x".repeat(32));
    vi.stubEnv("ENCRYPTION_KEY", Buffer.alloc(32, 7).toString("base64"));
    vi.stubEnv("ADMIN_EMAILS", " Alice@Example.com, ,bob@example.com ");
    vi.stubEnv("AUTH_GITHUB_ID", "");
    vi.stubEnv("PORT", "4100");
    resetEnvCache();
    const env = getEnv();
    expect(env.ADMIN_EMAILS).toEqual(["alice@example.com", "bob@example.com"]);
    expect(env.AUTH_GITHUB_ID).toBeUndefined();
    expect(env.PORT).toBe(4100);
  });

  it("keeps the parsed configuration until resetEnvCache() is called", () => {
    vi.stubEnv("PORT", "4101");
    resetEnvCache();
    expect(getEnv().PORT).toBe(4101);
    vi.stubEnv("PORT", "4102");
    expect(getEnv().PORT).toBe(4101);
    resetEnvCache();
    expect(getEnv().PORT).toBe(4102);
  });

  it("requireEnv names the missing variable and says how to provide it", () => {
    vi.stubEnv("REDIS_URL", undefined);
    resetEnvCache();
    expect(() => requireEnv("REDIS_URL")).toThrow(ConfigError);
    expect(() => requireEnv("REDIS_URL")).toThrow(/^REDIS_URL is not set: .*npm start/);
  });
});

describe("REDIS_CLUSTER_NODES and the settings a process requires", () => {
  it("reads a cluster's nodes as a list of Redis URLs and names a node that is not one", () => {
    vi.stubEnv("REDIS_CLUSTER_NODES", " redis://127.0.0.1:7001, rediss://:pw@10.0.0.2:7002 ,");
    resetEnvCache();
    expect(getEnv().REDIS_CLUSTER_NODES).toEqual(["redis://127.0.0.1:7001", "rediss://:pw@10.0.0.2:7002"]);
    expect(
      configErrorFor({ REDIS_CLUSTER_NODES: "redis://127.0.0.1:7001,127.0.0.1:7002" }).message,
    ).toContain("REDIS_CLUSTER_NODES");
  });

  it("names every missing setting at once, and takes a cluster for a Redis", () => {
    vi.stubEnv("DATABASE_URL", undefined);
    vi.stubEnv("REDIS_URL", undefined);
    vi.stubEnv("REDIS_CLUSTER_NODES", undefined);
    vi.stubEnv("ENCRYPTION_KEY", Buffer.alloc(32, 7).toString("base64"));
    resetEnvCache();
    expect(() => requireSettings(["DATABASE_URL", "REDIS_URL", "ENCRYPTION_KEY"], "The worker")).toThrow(
      /^The worker cannot start: DATABASE_URL is not set \(.*\); REDIS_URL is not set \(.*REDIS_CLUSTER_NODES.*\)\.$/,
    );
    vi.stubEnv("REDIS_CLUSTER_NODES", "redis://127.0.0.1:7001");
    vi.stubEnv("DATABASE_URL", "postgresql://app@127.0.0.1:5432/app");
    resetEnvCache();
    expect(() =>
      requireSettings(["DATABASE_URL", "REDIS_URL", "ENCRYPTION_KEY"], "The worker"),
    ).not.toThrow();
  });
});

describe("HOST: the address the web server listens on", () => {
  function listenHostFor(values: Record<string, string | undefined>): string | undefined {
    for (const [key, value] of Object.entries(values)) vi.stubEnv(key, value);
    resetEnvCache();
    return getListenHost();
  }

  it("is loopback only while APP_URL is unset or on this machine", () => {
    expect(listenHostFor({ HOST: undefined, APP_URL: undefined })).toBe("127.0.0.1");
    expect(listenHostFor({ HOST: "", APP_URL: "http://localhost:3000" })).toBe("127.0.0.1");
    expect(listenHostFor({ APP_URL: "http://127.0.0.1:4000" })).toBe("127.0.0.1");
    expect(listenHostFor({ APP_URL: "http://[::1]:4000/" })).toBe("127.0.0.1");
  });

  it("is every interface once APP_URL names another host", () => {
    expect(listenHostFor({ HOST: undefined, APP_URL: "https://tools.example.com" })).toBeUndefined();
    expect(listenHostFor({ APP_URL: "http://192.168.1.20:3000" })).toBeUndefined();
  });

  it("is HOST when set, whatever APP_URL says", () => {
    expect(listenHostFor({ HOST: "0.0.0.0", APP_URL: undefined })).toBe("0.0.0.0");
    expect(listenHostFor({ HOST: "::", APP_URL: "https://tools.example.com" })).toBe("::");
    expect(listenHostFor({ HOST: "127.0.0.1", APP_URL: "https://tools.example.com" })).toBe("127.0.0.1");
  });

  it("names HOST when it is not an address or a host name", () => {
    for (const value of ["http://0.0.0.0", "[::1]", "two words"])
      expect(configErrorFor({ HOST: value }).message).toContain(
        "HOST: must be an IP address (such as 127.0.0.1, 0.0.0.0 or ::) or a host name",
      );
  });
});

describe("single sign-on settings", () => {
  const complete = {
    AUTH_OIDC_ISSUER: "https://sso.example.com/realms/acme",
    AUTH_OIDC_ID: "toolgate",
    AUTH_OIDC_SECRET: "s3cret",
  };
  function settingsFor(values: Record<string, string | undefined>) {
    for (const [key, value] of Object.entries(values)) vi.stubEnv(key, value);
    resetEnvCache();
    return getOidcSettings();
  }

  it("are there only with the issuer, the client id and the secret, named 'Single sign-on' by default", () => {
    expect(settingsFor({ ...complete, AUTH_OIDC_NAME: "" })).toEqual({
      issuer: "https://sso.example.com/realms/acme",
      clientId: "toolgate",
      clientSecret: "s3cret",
      name: "Single sign-on",
    });
    expect(settingsFor({ AUTH_OIDC_NAME: "Okta" })?.name).toBe("Okta");
    expect(settingsFor({ AUTH_OIDC_SECRET: "" })).toBeNull();
  });

  it("names AUTH_OIDC_ISSUER when it is not an http(s) URL", () => {
    expect(configErrorFor({ AUTH_OIDC_ISSUER: "sso.example.com" }).message).toContain(
      "AUTH_OIDC_ISSUER: must be the provider's issuer URL",
    );
  });
});
