// A TLS certificate for the loopback (127.0.0.1 and localhost), made once per test run, so that
// tests can serve https URLs that the platform must fetch, such as an AI app's client ID metadata
// document. Global setup makes it before any test process starts and adds it to
// NODE_EXTRA_CA_CERTS, which Node reads only at start-up: every test process and every platform
// they spawn trust it, and production code is neither told nor changed. It is self-signed, valid
// for two days, and its key never leaves the run's scratch directory.
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { generate } from "selfsigned";

export type TestCertificate = { cert: string; key: string };

const validityMs = 2 * 24 * 60 * 60_000;

/**
 * Makes the certificate in `directory` (with the selfsigned package: no system tool needed), and a
 * CA bundle there that holds it after the certificates of `extraCaFile` (a NODE_EXTRA_CA_CERTS
 * already set, which must keep working).
 */
export async function createTestCertificate(
  directory: string,
  extraCaFile?: string,
): Promise<{ certFile: string; keyFile: string; bundleFile: string }> {
  const certFile = path.join(directory, "test-tls-cert.pem");
  const keyFile = path.join(directory, "test-tls-key.pem");
  const bundleFile = path.join(directory, "test-tls-ca-bundle.pem");
  const now = Date.now();
  const made = await generate([{ name: "commonName", value: "Toolgate test loopback" }], {
    keyType: "ec",
    curve: "P-256",
    algorithm: "sha256",
    notBeforeDate: new Date(now - 60_000),
    notAfterDate: new Date(now + validityMs),
    extensions: [
      { name: "basicConstraints", cA: false, critical: true },
      { name: "extKeyUsage", serverAuth: true },
      {
        name: "subjectAltName",
        altNames: [
          { type: 7, ip: "127.0.0.1" },
          { type: 2, value: "localhost" },
        ],
      },
    ],
  });
  await Promise.all([writeFile(certFile, made.cert), writeFile(keyFile, made.private, { mode: 0o600 })]);
  const existing = extraCaFile ? await readFile(extraCaFile, "utf8").catch(() => "") : "";
  await writeFile(bundleFile, `${existing.trimEnd()}\n${await readFile(certFile, "utf8")}`.trimStart());
  return { certFile, keyFile, bundleFile };
}

/** The run's certificate, for an https server on 127.0.0.1 that the run's processes trust. */
export async function testCertificate(): Promise<TestCertificate> {
  const certFile = process.env.TEST_TLS_CERT;
  const keyFile = process.env.TEST_TLS_KEY;
  if (!certFile || !keyFile)
    throw new Error("No test TLS certificate: global setup could not make one (see its warning).");
  const [cert, key] = await Promise.all([readFile(certFile, "utf8"), readFile(keyFile, "utf8")]);
  return { cert, key };
}
