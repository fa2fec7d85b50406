#!/usr/bin/env node
// Interoperability harness: checks WIMSE tokens (WIT "wit+jwt", WPT "wpt+jwt") with the
// independent 'jose' JOSE implementation, and mints tokens with it for wimse4j to verify.
//
//   node interop.mjs verify   < {"jwks":{...},"wit":"..","wpt":"..","audience":"..","accessToken":"..","now":1700000000}
//   node interop.mjs mint     < {"issuerAlg":"ES256","workloadAlg":"EdDSA","sub":"wimse://example.org/a",
//                                "iss":"https://..","audience":"..","accessToken":"..","now":1700000000,
//                                "witTtl":3600,"wptTtl":60,"witTyp":"wit+jwt","wptTyp":"wpt+jwt","wptAlg":"EdDSA"}
//                               (algorithms: EdDSA, Ed25519 (RFC 9864's name of the same keys) or ES256;
//                                wptAlg, default workloadAlg, is the WPT header's alg, for mismatch tests)
//   node interop.mjs verify-request < {"jwks":{...},"headers":{"Name":"value" or ["v1","v2"]},"audience":"..","now":1700000000}
//                               (finds the WIT and the proof in either transport: 'Authorization: WPT <jwt>' of
//                                wpt-02, or the seed 'Workload-Proof-Token'; both at once, or a bearer credential
//                                beside 'Authorization: WPT', fail; 'transport' in the answer says which was used)
//   mint also takes "transport":"authorization"|"workload-proof-token" and then answers "headers" to send.
//   node interop.mjs send     < {"url":"https://127.0.0.1:8443/echo","method":"GET","headers":{"Name":"value"},"body":".."}
//                               (node's built-in fetch, redirects not followed; a test CA via NODE_EXTRA_CA_CERTS)
//   node interop.mjs version
//
// Every subcommand prints one JSON object on stdout. Exit code: 0 = ok (verify: all checks
// passed), 1 = verification failed (JSON says where and why), 2 = bad usage or input.
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  createLocalJWKSet, decodeProtectedHeader, exportJWK, generateKeyPair, importJWK,
  calculateJwkThumbprint, jwtVerify, SignJWT,
} from 'jose';

const WIT_TYP = 'wit+jwt';
const WPT_TYP = 'wpt+jwt';
const SUPPORTED = ['EdDSA', 'Ed25519', 'ES256'];

/** base64url(SHA-256(ASCII of token)): the value of wth / ath / tth (WPT-7, WPT-8). */
function tokenHash(token) {
  return createHash('sha256').update(Buffer.from(token, 'ascii')).digest('base64url');
}

function readStdinJson() {
  const text = readFileSync(0, 'utf8');
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UsageError(`stdin is not JSON: ${e.message}`);
  }
}

class UsageError extends Error {}

class CheckFailed extends Error {
  constructor(stage, code, message) {
    super(message);
    this.stage = stage;
    this.code = code;
  }
}

function requireField(input, name, type) {
  if (typeof input[name] !== type) throw new UsageError(`input field '${name}' must be a ${type}`);
  return input[name];
}

async function verify(input) {
  const jwks = input.jwks;
  if (typeof jwks !== 'object' || jwks === null) throw new UsageError("input field 'jwks' must be an object");
  const wit = requireField(input, 'wit', 'string');
  const wpt = requireField(input, 'wpt', 'string');
  const audience = requireField(input, 'audience', 'string');
  const now = requireField(input, 'now', 'number');
  const accessToken = input.accessToken ?? null;
  const currentDate = new Date(now * 1000);

  // 1. The WIT, with the Identity Server's JWKS; the key is chosen by kid/alg, never from the token.
  let witResult;
  try {
    witResult = await jwtVerify(wit, createLocalJWKSet(jwks), {
      typ: WIT_TYP,
      algorithms: SUPPORTED,
      currentDate,
      requiredClaims: ['sub', 'exp', 'cnf'],
    });
  } catch (e) {
    throw new CheckFailed('wit', e.code ?? 'ERROR', e.message);
  }
  const witClaims = witResult.payload;
  const cnfJwk = witClaims.cnf?.jwk;
  if (typeof cnfJwk !== 'object' || cnfJwk === null) throw new CheckFailed('wit', 'NO_CNF_JWK', 'WIT has no cnf.jwk');
  if (typeof cnfJwk.alg !== 'string') throw new CheckFailed('wit', 'NO_CNF_ALG', 'WIT cnf.jwk has no alg (WIT-8)');
  if (!SUPPORTED.includes(cnfJwk.alg)) throw new CheckFailed('wit', 'CNF_ALG', `cnf.jwk.alg ${cnfJwk.alg} not supported`);
  for (const priv of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k']) {
    if (priv in cnfJwk) throw new CheckFailed('wit', 'CNF_PRIVATE', `cnf.jwk has private member '${priv}'`);
  }

  // 2. The WPT, with the cnf key, whose alg it must use exactly (V-3, V-4, V-5, V-6, V-7).
  let wptHeader;
  try {
    wptHeader = decodeProtectedHeader(wpt);
  } catch (e) {
    throw new CheckFailed('wpt', e.code ?? 'ERROR', e.message);
  }
  if (wptHeader.alg !== cnfJwk.alg) {
    throw new CheckFailed('wpt', 'ALG_MISMATCH', `WPT alg ${wptHeader.alg} is not cnf.jwk.alg ${cnfJwk.alg}`);
  }
  let wptResult;
  try {
    const key = await importJWK(cnfJwk, cnfJwk.alg);
    wptResult = await jwtVerify(wpt, key, {
      typ: WPT_TYP,
      algorithms: [cnfJwk.alg],
      audience,
      currentDate,
      requiredClaims: ['aud', 'exp', 'jti', 'wth'],
    });
  } catch (e) {
    throw new CheckFailed('wpt', e.code ?? 'ERROR', e.message);
  }
  const wptClaims = wptResult.payload;

  // 3. The bindings, hashed here with node:crypto (V-8, V-10).
  const expectedWth = tokenHash(wit);
  if (wptClaims.wth !== expectedWth) throw new CheckFailed('wth', 'WTH_MISMATCH', 'wth is not the hash of the WIT');
  if (accessToken !== null) {
    if (typeof wptClaims.ath !== 'string') throw new CheckFailed('ath', 'ATH_MISSING', 'an access token is presented but the WPT has no ath');
    if (wptClaims.ath !== tokenHash(accessToken)) throw new CheckFailed('ath', 'ATH_MISMATCH', 'ath is not the hash of the access token');
  } else if ('ath' in wptClaims) {
    throw new CheckFailed('ath', 'ATH_MISMATCH', 'ath present but no access token given');
  }
  return {
    ok: true,
    joseVersion: joseVersion(),
    wit: { header: witResult.protectedHeader, claims: witClaims },
    wpt: { header: wptResult.protectedHeader, claims: wptClaims },
    wth: expectedWth,
    ath: accessToken !== null ? tokenHash(accessToken) : null,
  };
}

async function newKey(alg, label) {
  if (!SUPPORTED.includes(alg)) throw new UsageError(`${label} must be one of ${SUPPORTED.join(', ')}`);
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
  const jwk = await exportJWK(publicKey);
  jwk.alg = alg;
  jwk.use = 'sig';
  jwk.kid = await calculateJwkThumbprint(jwk);
  return { privateKey, publicJwk: jwk };
}

async function mint(input) {
  const issuerAlg = input.issuerAlg ?? 'ES256';
  const workloadAlg = input.workloadAlg ?? 'EdDSA';
  const wptAlg = input.wptAlg ?? workloadAlg;
  if (!SUPPORTED.includes(wptAlg)) throw new UsageError(`wptAlg must be one of ${SUPPORTED.join(', ')}`);
  const sub = requireField(input, 'sub', 'string');
  const audience = requireField(input, 'audience', 'string');
  const now = requireField(input, 'now', 'number');
  const witTtl = input.witTtl ?? 3600;
  const wptTtl = input.wptTtl ?? 60;
  const accessToken = input.accessToken ?? null;

  const issuer = await newKey(issuerAlg, 'issuerAlg');
  const workload = await newKey(workloadAlg, 'workloadAlg');

  const signWit = async () => {
    const jwt = new SignJWT({ cnf: { jwk: workload.publicJwk } })
      .setProtectedHeader({ alg: issuerAlg, kid: issuer.publicJwk.kid, typ: input.witTyp ?? WIT_TYP })
      .setSubject(sub)
      .setIssuedAt(now)
      .setExpirationTime(now + witTtl)
      .setJti(randomBytes(16).toString('base64url'));
    if (typeof input.iss === 'string') jwt.setIssuer(input.iss);
    return jwt.sign(issuer.privateKey);
  };
  const wit = await signWit();
  // A second, equally valid WIT for the same workload key: a WPT made for 'wit' must not pass with it.
  const otherWit = await signWit();

  const wptClaims = { wth: tokenHash(wit) };
  if (accessToken !== null) wptClaims.ath = tokenHash(accessToken);
  const transport = input.transport ?? null;
  if (transport !== null && transport !== 'authorization' && transport !== 'workload-proof-token') {
    throw new UsageError("input field 'transport' must be 'authorization' or 'workload-proof-token'");
  }
  if (transport === 'authorization' && accessToken !== null) {
    throw new UsageError("'Authorization: WPT' carries no access token (wpt-02: no ath)");
  }
  const wpt = await new SignJWT(wptClaims)
    .setProtectedHeader({ alg: wptAlg, typ: input.wptTyp ?? WPT_TYP })
    .setAudience(audience)
    .setIssuedAt(now)
    .setExpirationTime(now + wptTtl)
    .setJti(randomBytes(16).toString('base64url'))
    .sign(workload.privateKey);

  return {
    ok: true,
    joseVersion: joseVersion(),
    jwks: { keys: [issuer.publicJwk] },
    workloadJwk: workload.publicJwk,
    wit,
    otherWit,
    wpt,
    headers: transport === null ? undefined : proofHeaders(transport, wit, wpt),
  };
}

/** The request headers of a proof in its transport: the WIT header and the WPT's own (P2-1 or WPT-1). */
function proofHeaders(transport, wit, wpt) {
  return transport === 'authorization'
    ? { 'Workload-Identity-Token': wit, Authorization: `WPT ${wpt}` }
    : { 'Workload-Identity-Token': wit, 'Workload-Proof-Token': wpt };
}

/** Header name (lower case) to its list of values. */
function headerValues(headers) {
  if (typeof headers !== 'object' || headers === null || Array.isArray(headers)) throw new UsageError("input field 'headers' must be an object");
  const out = new Map();
  for (const [name, value] of Object.entries(headers)) {
    const values = Array.isArray(value) ? value : [value];
    for (const v of values) {
      if (typeof v !== 'string') throw new UsageError(`header '${name}' must be a string or an array of strings`);
      const key = name.toLowerCase();
      out.set(key, [...(out.get(key) ?? []), v]);
    }
  }
  return out;
}

/** Verifies a whole request, reading the proof from the transport it uses, written from the drafts' text. */
async function verifyRequest(input) {
  const headers = headerValues(input.headers);
  const wits = headers.get('workload-identity-token') ?? [];
  if (wits.length !== 1) throw new CheckFailed('request', 'WIT_HEADER', `expected one Workload-Identity-Token header, got ${wits.length}`);
  const seed = headers.get('workload-proof-token') ?? [];
  const authorization = headers.get('authorization') ?? [];
  const wptScheme = authorization.filter((v) => /^wpt(\s|$)/i.test(v));
  if (seed.length > 0 && wptScheme.length > 0) throw new CheckFailed('request', 'TWO_TRANSPORTS', 'a WPT in both transports');
  let transport;
  let wpt;
  let accessToken = null;
  if (wptScheme.length > 0) {
    transport = 'authorization';
    if (authorization.length !== 1) throw new CheckFailed('request', 'AUTHORIZATION_FIELDS', `expected one Authorization field, got ${authorization.length}`);
    const m = /^WPT +([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+) *$/i.exec(authorization[0]);
    if (m === null) throw new CheckFailed('request', 'MALFORMED_AUTHORIZATION', "'Authorization: WPT' does not hold one compact JWT");
    wpt = m[1];
  } else if (seed.length > 0) {
    transport = 'workload-proof-token';
    if (seed.length !== 1) throw new CheckFailed('request', 'WPT_HEADER', `expected one Workload-Proof-Token header, got ${seed.length}`);
    wpt = seed[0];
    if (authorization.length === 1) {
      const bearer = /^(Bearer|DPoP) +(\S+) *$/i.exec(authorization[0]);
      if (bearer !== null) accessToken = bearer[2];
    }
  } else {
    throw new CheckFailed('request', 'NO_PROOF', 'no WPT in the request');
  }
  const result = await verify({ jwks: input.jwks, wit: wits[0], wpt, audience: input.audience, now: input.now, accessToken });
  return { ...result, transport };
}

/** Sends one HTTP request with node's own fetch (an HTTP client independent of Java) and reports the answer. */
async function send(input) {
  const url = requireField(input, 'url', 'string');
  const method = input.method ?? 'GET';
  const headers = input.headers ?? {};
  if (typeof headers !== 'object' || headers === null || Array.isArray(headers)) throw new UsageError("input field 'headers' must be an object");
  let response;
  try {
    response = await fetch(url, { method, headers, body: input.body ?? undefined, redirect: 'manual' });
  } catch (e) {
    throw new CheckFailed('send', e.cause?.code ?? e.code ?? 'FETCH_FAILED', `${e.message}${e.cause ? ': ' + e.cause.message : ''}`);
  }
  return {
    ok: true,
    status: response.status,
    contentType: response.headers.get('content-type'),
    wwwAuthenticate: response.headers.get('www-authenticate'),
    body: await response.text(),
  };
}

function joseVersion() {
  const pkg = JSON.parse(readFileSync(new URL('./node_modules/jose/package.json', import.meta.url), 'utf8'));
  return pkg.version;
}

async function main() {
  const command = process.argv[2];
  let result;
  try {
    if (command === 'verify') result = await verify(readStdinJson());
    else if (command === 'mint') result = await mint(readStdinJson());
    else if (command === 'verify-request') result = await verifyRequest(readStdinJson());
    else if (command === 'send') result = await send(readStdinJson());
    else if (command === 'version') result = { ok: true, joseVersion: joseVersion(), node: process.version };
    else throw new UsageError(`unknown subcommand '${command ?? ''}'; use verify, verify-request, mint, send or version`);
  } catch (e) {
    if (e instanceof CheckFailed) {
      process.stdout.write(JSON.stringify({ ok: false, stage: e.stage, code: e.code, message: e.message }) + '\n');
      process.exitCode = 1;
      return;
    }
    const usage = e instanceof UsageError;
    process.stdout.write(JSON.stringify({ ok: false, stage: usage ? 'usage' : 'internal', code: usage ? 'USAGE' : (e.code ?? 'ERROR'), message: e.message }) + '\n');
    process.exitCode = 2;
    return;
  }
  process.stdout.write(JSON.stringify(result) + '\n');
}

await main();
