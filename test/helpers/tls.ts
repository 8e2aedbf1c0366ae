// A TLS certificate for the loopback (127.0.0.1 and localhost), made once per test run, so that
// tests can serve https URLs that the platform must fetch, such as an AI app's client ID metadata
// document. Global setup makes it before any test process starts and adds it to
// NODE_EXTRA_CA_CERTS, which Node reads only at start-up: every test process and every platform
// they spawn trust it, and production code is neither told nor changed. It is self-signed, valid
// for two days, and its key never leaves the run's scratch directory.
import { execFile } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";

export type TestCertificate = { cert: string; key: string };

/**
 * Makes the certificate with openssl in `directory`, and a CA bundle there that holds it after
 * the certificates of `extraCaFile` (a NODE_EXTRA_CA_CERTS already set, which must keep working).
 */
export async function createTestCertificate(
  directory: string,
  extraCaFile?: string,
): Promise<{ certFile: string; keyFile: string; bundleFile: string }> {
  const certFile = path.join(directory, "test-tls-cert.pem");
  const keyFile = path.join(directory, "test-tls-key.pem");
  const bundleFile = path.join(directory, "test-tls-ca-bundle.pem");
  await promisify(execFile)("openssl", [
    "req",
    "-x509",
    "-newkey",
    "ec",
    "-pkeyopt",
    "ec_paramgen_curve:P-256",
    "-nodes",
    "-days",
    "2",
    "-subj",
    "/CN=Toolgate test loopback",
    "-addext",
    "subjectAltName=IP:127.0.0.1,DNS:localhost",
    "-addext",
    "basicConstraints=critical,CA:FALSE",
    "-addext",
    "extendedKeyUsage=serverAuth",
    "-keyout",
    keyFile,
    "-out",
    certFile,
  ]);
  const existing = extraCaFile ? await readFile(extraCaFile, "utf8").catch(() => "") : "";
  await writeFile(bundleFile, `${existing.trimEnd()}\n${await readFile(certFile, "utf8")}`.trimStart());
  return { certFile, keyFile, bundleFile };
}

/** The run's certificate, for an https server on 127.0.0.1 that the run's processes trust. */
export async function testCertificate(): Promise<TestCertificate> {
  const certFile = process.env.TEST_TLS_CERT;
  const keyFile = process.env.TEST_TLS_KEY;
  if (!certFile || !keyFile)
    throw new Error(
      "No test TLS certificate: global setup could not make one (it needs openssl on PATH; see its warning).",
    );
  const [cert, key] = await Promise.all([readFile(certFile, "utf8"), readFile(keyFile, "utf8")]);
  return { cert, key };
}
