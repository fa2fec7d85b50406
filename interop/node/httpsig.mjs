#!/usr/bin/env node
// Interoperability harness for draft-ietf-wimse-http-signature (RFC 9421 with a WIT): signs and
// verifies requests and responses with the independent npm package 'http-message-signatures'
// (RFC 9421 signature base, Signature / Signature-Input), 'structured-headers' (RFC 8941/9651)
// and 'jose' (the WIT), written from the draft's text, not from wimse4j's code.
//
// A message is {"method":"POST","url":"https://svc.example/p?q=1","headers":{"Name":"value" or ["v1","v2"]},"body":"utf-8 text"}
// for a request and {"status":200,"headers":{..},"body":".."} for a response ("body" optional).
//
//   node httpsig.mjs sign-request    < {"wit":"..","key":{private JWK},"request":{..},"audience":"..","lifetime":60,
//                                       "label":"wimse","signResponse":false}
//        adds Workload-Identity-Token, Content-Digest (sha-256, node:crypto) when there is a body, Signature-Input
//        and Signature; covers "@method" "@path" "@query" and the present workload-identity-token, content-type,
//        content-digest, authorization, txn-token (HS-3); parameters created, expires, nonce (128 random bits), tag,
//        wimse-aud (default: the URL without query and fragment), and wimse-sign-response when asked (HS-4); never
//        keyid or alg (HS-1). The algorithm comes from the JWK: Ed25519 -> ed25519, P-256 -> ecdsa-p256-sha256 (JWS
//        form r||s, RFC 9421 section 3.3.7). Answers {"ok":true,"headers":{the request's headers},"nonce":"..",
//        "algorithm":"..","signatureLength":64,"covered":[..],"signatureInput":".."}.
//   node httpsig.mjs sign-response   < {"wit":"..","key":{..},"request":{the signed request},"response":{..},"lifetime":60,"label":"wimse"}
//        covers "@status", the present workload-identity-token, content-type, content-digest, and "@method";req
//        "@path";req "@query";req; wimse-req-nonce is the nonce of the request's WIMSE signature (HS-6).
//   node httpsig.mjs verify-request  < {"jwks":{issuer JWKS},"request":{..},"audience":".."}
//   node httpsig.mjs verify-response < {"jwks":{..},"request":{the signed request as sent},"response":{..}}
//        verify: the one signature tagged wimse-workload-to-workload (HS-2), no keyid/alg (HS-1), created, expires,
//        nonce (HS-4), wimse-aud == audience (requests) or wimse-req-nonce == the request's nonce (responses, HS-6);
//        one WIT, verified with 'jose' against the JWKS (typ wit+jwt), its cnf.jwk the key (HS-7, HS-1); the covered
//        set (HS-3, HS-6); with a body the Content-Digest recomputed (HS-5); the signature by
//        http-message-signatures' verifyMessage (its clock is the system clock). Answers {"ok":true,"sub":"..",
//        "covered":[..],"algorithm":".."} or {"ok":false,"stage":"..","code":"..","message":".."}.
//   node httpsig.mjs version
//
// Exit code: 0 = ok, 1 = verification failed (the JSON says where and why), 2 = bad usage or input.
import { createHash, createPrivateKey, createPublicKey, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createLocalJWKSet, jwtVerify } from 'jose';
import httpMessageSignatures from 'http-message-signatures';
import { isInnerList, parseDictionary, serializeItem } from 'structured-headers';

const { httpbis, createSigner, createVerifier } = httpMessageSignatures;
const TAG = 'wimse-workload-to-workload';
const WIT_TYP = 'wit+jwt';
const WIT_ALGS = ['EdDSA', 'Ed25519', 'ES256', 'ES384', 'PS256', 'RS256'];
const REQUEST_FIELDS = ['workload-identity-token', 'content-type', 'content-digest', 'authorization', 'txn-token'];
const RESPONSE_FIELDS = ['workload-identity-token', 'content-type', 'content-digest'];

class UsageError extends Error {}

class CheckFailed extends Error {
  constructor(stage, code, message) {
    super(message);
    this.stage = stage;
    this.code = code;
  }
}

function readStdinJson() {
  const text = readFileSync(0, 'utf8');
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UsageError(`stdin is not JSON: ${e.message}`);
  }
}

function requireObject(input, name) {
  const v = input[name];
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new UsageError(`input field '${name}' must be an object`);
  return v;
}

function requireString(input, name) {
  if (typeof input[name] !== 'string') throw new UsageError(`input field '${name}' must be a string`);
  return input[name];
}

/** The message's headers as given (name as written -> string or array), checked. */
function headersOf(message) {
  const headers = requireObject(message, 'headers');
  for (const [name, value] of Object.entries(headers)) {
    const values = Array.isArray(value) ? value : [value];
    if (values.some((v) => typeof v !== 'string')) throw new UsageError(`header '${name}' must be a string or an array of strings`);
  }
  return headers;
}

/** Every value of header `name` (any case), in order. */
function values(headers, name) {
  const out = [];
  for (const [n, v] of Object.entries(headers)) {
    if (n.toLowerCase() === name) out.push(...(Array.isArray(v) ? v : [v]));
  }
  return out;
}

function bodyOf(message) {
  if (message.body === undefined || message.body === null) return Buffer.alloc(0);
  if (typeof message.body !== 'string') throw new UsageError("a message's 'body' must be a string");
  return Buffer.from(message.body, 'utf8');
}

/** RFC 9530 Content-Digest, sha-256, computed here with node:crypto. */
function contentDigest(body) {
  return `sha-256=:${createHash('sha256').update(body).digest('base64')}:`;
}

/** The RFC 9421 algorithm of a JWK (the WIMSE profile takes it from cnf.jwk, HS-1). */
function algorithmOf(jwk) {
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') return 'ed25519';
  if (jwk.kty === 'EC' && jwk.crv === 'P-256') return 'ecdsa-p256-sha256';
  throw new UsageError(`no RFC 9421 algorithm for a ${jwk.kty}/${jwk.crv ?? '-'} key in this harness`);
}

/** The payload of a compact JWT, decoded without verifying (for signing with the WIT one holds). */
function decodePayload(jwt) {
  const parts = jwt.split('.');
  if (parts.length !== 3) throw new UsageError('the WIT is not a compact JWS');
  return JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
}

/** A signing key of http-message-signatures for a private JWK; the signature is checked against the WIT's cnf.jwk. */
function signingKey(privateJwk, wit) {
  const cnf = decodePayload(wit).cnf?.jwk;
  if (typeof cnf !== 'object' || cnf === null) throw new UsageError('the WIT has no cnf.jwk');
  if (cnf.x !== privateJwk.x || cnf.y !== privateJwk.y || cnf.crv !== privateJwk.crv) {
    throw new UsageError("the private key is not the WIT's cnf.jwk");
  }
  const alg = algorithmOf(cnf);
  const { kty, crv, x, y, d } = privateJwk;
  const key = createPrivateKey({ key: { kty, crv, x, y, d }, format: 'jwk' });
  // http-message-signatures' own signer: ed25519, or ECDSA P-256 with dsaEncoding 'ieee-p1363' (r||s, the JWS form).
  return createSigner(key, alg);
}

function lifetimeOf(input) {
  const lifetime = input.lifetime ?? 60;
  if (!Number.isInteger(lifetime) || lifetime < 1 || lifetime > 300) throw new UsageError("'lifetime' must be 1 to 300 seconds");
  return lifetime;
}

function labelOf(input) {
  const label = input.label ?? 'wimse';
  if (typeof label !== 'string' || !/^[a-z*][a-z0-9_.*-]*$/.test(label)) throw new UsageError("'label' must be a Structured Field key");
  return label;
}

/** What a signer returns: the message's headers, the signature's input and its length. */
function signed(result, label, extra) {
  const input = parseDictionary(values(result.headers, 'signature-input').join(', ')).get(label);
  const signature = parseDictionary(values(result.headers, 'signature').join(', ')).get(label);
  return {
    ok: true,
    headers: result.headers,
    covered: input[0].map((item) => serializeItem(item)),
    signatureLength: signature[0].byteLength,
    ...extra,
  };
}

async function signRequest(input) {
  const wit = requireString(input, 'wit');
  const request = requireObject(input, 'request');
  const method = requireString(request, 'method');
  const url = new URL(requireString(request, 'url'));
  const body = bodyOf(request);
  const label = labelOf(input);
  const key = signingKey(requireObject(input, 'key'), wit);
  const headers = { ...headersOf(request), 'Workload-Identity-Token': wit };
  if (body.length > 0 && values(headers, 'content-digest').length === 0) headers['Content-Digest'] = contentDigest(body);
  const fields = ['@method', '@path', '@query', ...REQUEST_FIELDS.filter((f) => values(headers, f).length > 0)];
  const created = new Date(Math.floor(Date.now() / 1000) * 1000);
  const nonce = randomBytes(16).toString('base64url');
  const audience = input.audience ?? `${url.protocol}//${url.host}${url.pathname}`;
  const params = ['created', 'expires', 'nonce', 'tag', 'wimse-aud'];
  const paramValues = { created, expires: new Date(created.getTime() + lifetimeOf(input) * 1000), nonce, tag: TAG, 'wimse-aud': audience };
  if (input.signResponse === true) {
    params.push('wimse-sign-response');
    paramValues['wimse-sign-response'] = true;
  }
  const result = await httpbis.signMessage({ key, name: label, fields, params, paramValues }, { method, url, headers });
  return signed(result, label, { nonce, algorithm: key.alg });
}

async function signResponse(input) {
  const wit = requireString(input, 'wit');
  const request = requireObject(input, 'request');
  const response = requireObject(input, 'response');
  const status = response.status;
  if (!Number.isInteger(status)) throw new UsageError("the response's 'status' must be an integer");
  const label = labelOf(input);
  const key = signingKey(requireObject(input, 'key'), wit);
  const requestSignature = tagged(headersOf(request), 'request');
  const body = bodyOf(response);
  const headers = { ...headersOf(response), 'Workload-Identity-Token': wit };
  if (body.length > 0 && values(headers, 'content-digest').length === 0) headers['Content-Digest'] = contentDigest(body);
  const fields = ['@status', ...RESPONSE_FIELDS.filter((f) => values(headers, f).length > 0), '"@method";req', '"@path";req', '"@query";req'];
  const created = new Date(Math.floor(Date.now() / 1000) * 1000);
  const params = ['created', 'expires', 'nonce', 'tag', 'wimse-req-nonce'];
  const paramValues = {
    created,
    expires: new Date(created.getTime() + lifetimeOf(input) * 1000),
    nonce: randomBytes(16).toString('base64url'),
    tag: TAG,
    'wimse-req-nonce': requestSignature.params.get('nonce'),
  };
  const req = { method: requireString(request, 'method'), url: new URL(requireString(request, 'url')), headers: headersOf(request) };
  const result = await httpbis.signMessage({ key, name: label, fields, params, paramValues }, { status, headers }, req);
  return signed(result, label, { algorithm: key.alg });
}

/** The one signature tagged wimse-workload-to-workload (HS-2): its label, covered components and parameters. */
function tagged(headers, stage) {
  const inputLines = values(headers, 'signature-input');
  if (inputLines.length === 0) throw new CheckFailed(stage, 'MISSING_SIGNATURE', 'no Signature-Input');
  let inputs;
  try {
    inputs = parseDictionary(inputLines.join(', '));
  } catch (e) {
    throw new CheckFailed(stage, 'MALFORMED_SIGNATURE', `Signature-Input: ${e.message}`);
  }
  const found = [...inputs.entries()].filter(([, member]) => isInnerList(member) && member[1].get('tag') === TAG);
  if (found.length === 0) throw new CheckFailed(stage, 'MISSING_SIGNATURE', `no signature tagged '${TAG}'`);
  if (found.length > 1) throw new CheckFailed(stage, 'AMBIGUOUS_SIGNATURE', `${found.length} signatures tagged '${TAG}'`);
  const [label, [items, params]] = found[0];
  for (const forbidden of ['keyid', 'alg']) {
    if (params.has(forbidden)) throw new CheckFailed(stage, 'FORBIDDEN_SIGNATURE_PARAMETER', `parameter '${forbidden}' (HS-1)`);
  }
  for (const [name, type] of [['created', 'number'], ['expires', 'number'], ['nonce', 'string']]) {
    if (typeof params.get(name) !== type) throw new CheckFailed(stage, 'MISSING_SIGNATURE_PARAMETER', `no ${type} '${name}' (HS-4)`);
  }
  return { label, covered: items.map((item) => serializeItem(item)), params };
}

function requireCovered(covered, ids, stage) {
  for (const id of ids) {
    if (!covered.includes(id)) throw new CheckFailed(stage, 'UNCOVERED_COMPONENT', `${id} is not covered (HS-3, HS-6)`);
  }
}

function checkTarget(covered, req, stage) {
  const draft07 = covered.includes(`"@path"${req}`) && covered.includes(`"@query"${req}`);
  if (!draft07 && !covered.includes(`"@request-target"${req}`)) {
    throw new CheckFailed(stage, 'UNCOVERED_COMPONENT', `neither "@path"${req} "@query"${req} nor "@request-target"${req} covered`);
  }
}

/** The WIT (exactly one), verified with jose against the issuer's JWKS; answers its claims and the cnf key (HS-7, HS-1). */
async function verifiedWit(headers, jwks, stage) {
  const wits = values(headers, 'workload-identity-token');
  if (wits.length !== 1) throw new CheckFailed(stage, 'MISSING_WIT', `expected one Workload-Identity-Token, got ${wits.length}`);
  let result;
  try {
    result = await jwtVerify(wits[0], createLocalJWKSet(jwks), { typ: WIT_TYP, algorithms: WIT_ALGS, requiredClaims: ['sub', 'exp', 'cnf'] });
  } catch (e) {
    throw new CheckFailed('wit', e.code ?? 'ERROR', e.message);
  }
  const cnf = result.payload.cnf?.jwk;
  if (typeof cnf !== 'object' || cnf === null || typeof cnf.alg !== 'string') throw new CheckFailed('wit', 'NO_CNF_JWK', 'no cnf.jwk with alg');
  for (const priv of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k']) {
    if (priv in cnf) throw new CheckFailed('wit', 'CNF_PRIVATE', `cnf.jwk has private member '${priv}'`);
  }
  const { kty, crv, x, y } = cnf;
  return { claims: result.payload, algorithm: algorithmOf(cnf), key: createPublicKey({ key: { kty, crv, x, y }, format: 'jwk' }) };
}

/** With a body, the Content-Digest must be there and match, recomputed here (HS-5). */
function checkDigest(headers, body, stage) {
  const lines = values(headers, 'content-digest');
  if (body.length === 0 && lines.length === 0) return;
  if (lines.length === 0) throw new CheckFailed(stage, 'MISSING_CONTENT_DIGEST', 'a body but no Content-Digest');
  let digests;
  try {
    digests = parseDictionary(lines.join(', '));
  } catch (e) {
    throw new CheckFailed(stage, 'MISSING_CONTENT_DIGEST', `Content-Digest: ${e.message}`);
  }
  let checked = 0;
  for (const [alg, node] of [['sha-256', 'sha256'], ['sha-512', 'sha512']]) {
    if (!digests.has(alg)) continue;
    const expected = Buffer.from(digests.get(alg)[0]);
    if (!expected.equals(createHash(node).update(body).digest())) throw new CheckFailed(stage, 'CONTENT_DIGEST_MISMATCH', `${alg} does not match the body`);
    checked++;
  }
  if (checked === 0) throw new CheckFailed(stage, 'MISSING_CONTENT_DIGEST', 'neither sha-256 nor sha-512');
}

/** http-message-signatures' verifyMessage, keyed to the tagged signature only (its nonce picks it). */
async function verifySignature(sig, wit, message, req, stage) {
  const verify = createVerifier(wit.key, wit.algorithm);
  let result;
  try {
    result = await httpbis.verifyMessage({
      keyLookup: async (params) => (params.tag === TAG && params.nonce === sig.params.get('nonce') ? { algs: [wit.algorithm], verify } : null),
      requiredParams: ['created', 'expires', 'nonce', 'tag'],
    }, message, req);
  } catch (e) {
    throw new CheckFailed(stage, e.name === 'ExpiredError' ? 'EXPIRED' : 'MALFORMED_SIGNATURE', `${e.name}: ${e.message}`);
  }
  if (result !== true) throw new CheckFailed(stage, 'BAD_SIGNATURE', `verifyMessage answered ${result}`);
}

async function verifyRequest(input) {
  const jwks = requireObject(input, 'jwks');
  const audience = requireString(input, 'audience');
  const request = requireObject(input, 'request');
  const headers = headersOf(request);
  const sig = tagged(headers, 'request');
  const wit = await verifiedWit(headers, jwks, 'request');
  if (sig.params.get('wimse-aud') !== audience) throw new CheckFailed('request', 'AUDIENCE_MISMATCH', 'wimse-aud is not the audience (HS-4)');
  requireCovered(sig.covered, ['"@method"'], 'request');
  checkTarget(sig.covered, '', 'request');
  requireCovered(sig.covered, REQUEST_FIELDS.filter((f) => values(headers, f).length > 0).map((f) => `"${f}"`), 'request');
  checkDigest(headers, bodyOf(request), 'request');
  const message = { method: requireString(request, 'method'), url: new URL(requireString(request, 'url')), headers };
  await verifySignature(sig, wit, message, undefined, 'request');
  return { ok: true, sub: wit.claims.sub, covered: sig.covered, algorithm: wit.algorithm, label: sig.label };
}

async function verifyResponse(input) {
  const jwks = requireObject(input, 'jwks');
  const request = requireObject(input, 'request');
  const response = requireObject(input, 'response');
  const requestHeaders = headersOf(request);
  const headers = headersOf(response);
  const sent = tagged(requestHeaders, 'request');
  const sig = tagged(headers, 'response');
  if (sig.params.get('wimse-req-nonce') !== sent.params.get('nonce')) {
    throw new CheckFailed('response', 'REQUEST_NONCE_MISMATCH', "wimse-req-nonce is not the request's nonce (HS-6)");
  }
  const wit = await verifiedWit(headers, jwks, 'response');
  requireCovered(sig.covered, ['"@status"', '"@method";req'], 'response');
  checkTarget(sig.covered, ';req', 'response');
  requireCovered(sig.covered, RESPONSE_FIELDS.filter((f) => values(headers, f).length > 0).map((f) => `"${f}"`), 'response');
  checkDigest(headers, bodyOf(response), 'response');
  if (!Number.isInteger(response.status)) throw new UsageError("the response's 'status' must be an integer");
  const req = { method: requireString(request, 'method'), url: new URL(requireString(request, 'url')), headers: requestHeaders };
  await verifySignature(sig, wit, { status: response.status, headers }, req, 'response');
  return { ok: true, sub: wit.claims.sub, covered: sig.covered, algorithm: wit.algorithm, label: sig.label };
}

function versionOf(name) {
  return JSON.parse(readFileSync(new URL(`./node_modules/${name}/package.json`, import.meta.url), 'utf8')).version;
}

async function main() {
  const command = process.argv[2];
  const commands = {
    'sign-request': signRequest,
    'sign-response': signResponse,
    'verify-request': verifyRequest,
    'verify-response': verifyResponse,
  };
  let result;
  try {
    if (command === 'version') {
      result = { ok: true, node: process.version, httpMessageSignatures: versionOf('http-message-signatures'), jose: versionOf('jose') };
    } else if (commands[command]) {
      result = await commands[command](readStdinJson());
    } else {
      throw new UsageError(`unknown subcommand '${command ?? ''}'; use ${Object.keys(commands).join(', ')} or version`);
    }
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
