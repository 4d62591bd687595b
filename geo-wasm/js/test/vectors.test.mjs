// The spec's vectors (spec/vectors/*.json) through the npm package, as
// spec/conformance/python/run_vectors.py reads them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { loadPackage, loadTools, root } from './hub.mjs';

const geo = await loadPackage();
// The protocol tools: the package's second module (`@geo/client/tools`).
const tools = await loadTools();
const vectors = (name) => JSON.parse(readFileSync(join(root, 'spec/vectors', name), 'utf8'));
const code = (f) => {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof geo.GeoError, `a GeoError, got ${e}`);
    return e.code;
  }
  return 'ok';
};

test('identity: seed -> public key -> PID, mnemonic both ways, invalid keys and PIDs refused', () => {
  const v = vectors('identity.json');
  for (const k of v.keys) {
    const id = geo.Identity.fromSeedHex(k.seed_hex);
    assert.equal(id.publicKey, k.public_key, k.name);
    assert.equal(id.pid, k.pid, k.name);
    assert.equal(geo.pidOfPublicKey(k.public_key), k.pid);
    assert.equal(id.mnemonic(), k.mnemonic);
    assert.equal(geo.Identity.fromMnemonic(k.mnemonic).pid, k.pid);
  }
  for (const c of v.invalid_pids) assert.notEqual(code(() => geo.parsePid(c.pid)), 'ok', c.why);
  for (const c of v.invalid_public_keys) {
    assert.notEqual(code(() => geo.pidOfPublicKey(c.public_key)), 'ok', c.why);
  }
});

test('canonical JSON', () => {
  for (const c of vectors('canonical_json.json').cases) {
    let out;
    const r = code(() => (out = tools.canonicalJson(c.input)));
    if (c.error) {
      assert.equal(r, 'E_MALFORMED', `${c.input} must fail with ${c.error}`);
      continue;
    }
    assert.equal(r, 'ok', c.input);
    assert.equal(out, c.canonical);
    assert.equal(createHash('sha256').update(out, 'utf8').digest('hex'), c.canonical_sha256);
  }
});

test('amounts per precision, as strings', () => {
  for (const c of vectors('amounts.json').cases) {
    let units;
    const r = code(() => (units = geo.parseAmount(c.text, c.precision)));
    if (c.error) {
      assert.equal(r, 'E_INVALID_AMOUNT', `${c.text} p=${c.precision} must fail (${c.error})`);
      continue;
    }
    assert.equal(units, c.minor_units, c.text);
    assert.equal(typeof units, 'string');
    assert.equal(geo.formatAmount(units, c.precision), c.canonical);
  }
});

test('messages: signing bytes, signature, signed JSON, digests, verification', () => {
  const v = vectors('messages.json');
  for (const c of v.cases) {
    const unsigned = JSON.stringify(c.unsigned);
    assert.equal(Buffer.from(tools.signingBytes(unsigned)).toString('hex'), c.signing_bytes_hex, c.type);
    const id = geo.Identity.fromSeedHex(c.signer_seed_hex);
    assert.equal(id.publicKey, c.signer_public_key);
    const signed = tools.signMessage(id, unsigned);
    assert.equal(signed, c.signed_json, c.type);
    const d = tools.messageDigests(c.signed_json);
    assert.equal(d.digest, c.digest);
    assert.equal(d.payload_digest, c.payload_digest);
    const ver = new tools.Verifier(v.now, c.signer_public_key, c.unsigned.audience);
    assert.equal(ver.verify(c.type, c.signed_json), 'ok', c.type);
  }
});

test('verification scenarios: every step gives the expected code', () => {
  for (const s of vectors('verification.json').scenarios) {
    const vf = s.verifier;
    const ver = new tools.Verifier(vf.now, vf.public_key, vf.audience ?? undefined,
      vf.max_validity_seconds, vf.max_clock_skew_seconds);
    s.steps.forEach((st, j) => {
      assert.equal(ver.verify(s.expected_type, st.json), st.expect, `${s.name} step ${j}`);
    });
  }
});

test('invoices: the signed invoice and link exactly, and every read case', () => {
  const v = vectors('invoices.json');
  const sg = v.signed;
  const payee = geo.Identity.fromSeedHex(sg.signer_seed_hex);
  assert.equal(tools.signMessage(payee, JSON.stringify(sg.unsigned)), sg.signed_json);
  assert.equal(v.link_prefix + Buffer.from(sg.signed_json, 'utf8').toString('base64url'), sg.link);
  const inv = geo.readInvoice(sg.link, sg.invoice.hub, sg.invoice.created_at);
  assert.deepEqual(inv, { ...sg.invoice, uri: sg.link });
  for (const c of v.cases) {
    assert.equal(code(() => geo.readInvoice(c.link, c.expected_hub ?? undefined, c.now)), c.expect, c.name);
  }
});

test('key files: encrypt and decrypt, wrong password and tampering are typed', () => {
  const id = geo.Identity.generate();
  const file = id.toKeyFile('correct horse battery staple');
  assert.equal(geo.Identity.fromKeyFile(file, 'correct horse battery staple').pid, id.pid);
  assert.equal(code(() => geo.Identity.fromKeyFile(file, 'wrong')), 'E_WRONG_PASSWORD');
  const doc = JSON.parse(file);
  const tampered = JSON.stringify({ ...doc, pid: geo.Identity.generate().pid });
  assert.equal(code(() => geo.Identity.fromKeyFile(tampered, 'correct horse battery staple')), 'E_KEY_FILE_TAMPERED');
  assert.equal(code(() => geo.Identity.fromKeyFile('not a key file', 'x')), 'E_STORAGE');
});

test('buildMessage: every vector message built from its payload verifies; bad payloads get the verifier\'s codes', () => {
  const v = vectors('messages.json');
  for (const c of v.cases) {
    const u = c.unsigned;
    const id = geo.Identity.fromSeedHex(c.signer_seed_hex);
    const validity = (Date.parse(u.expires_at) - Date.parse(u.created_at)) / 1000;
    const built = tools.buildMessage(id, c.type, u.payload, u.audience, validity, u.created_at);
    const got = JSON.parse(built);
    assert.equal(typeof got.signature, 'string');
    assert.notEqual(got.nonce, u.nonce, 'a fresh nonce');
    delete got.signature;
    assert.deepEqual(got, { ...u, nonce: got.nonce }, c.type);
    const ver = new tools.Verifier(v.now, c.signer_public_key, u.audience);
    assert.equal(ver.verify(c.type, built), 'ok', c.type);
  }
  const alice = geo.Identity.fromSeedHex('11'.repeat(32));
  const hub = geo.Identity.fromSeedHex('22'.repeat(32)).pid;
  const close = { debtor: hub, equivalent: 'UAH' };
  assert.equal(code(() => tools.buildMessage(alice, 'trust_line_close', close, hub)), 'ok');
  assert.equal(code(() => tools.buildMessage(alice, 'trust_line_delete', close, hub)), 'E_WRONG_MESSAGE_TYPE');
  assert.equal(code(() => tools.buildMessage(alice, 'trust_line_close', { ...close, colour: 'red' }, hub)), 'E_MALFORMED');
  assert.equal(code(() => tools.buildMessage(alice, 'trust_line_close', { debtor: hub }, hub)), 'E_MALFORMED');
  assert.equal(code(() => tools.buildMessage(alice, 'trust_line_set', { ...close, limit: '01.5' }, hub)), 'E_INVALID_AMOUNT');
  assert.equal(code(() => tools.buildMessage(alice, 'trust_line_set', { ...close, limit: 1.5 }, hub)), 'E_MALFORMED');
  assert.equal(code(() => tools.buildMessage(alice, 'trust_line_close', { ...close, debtor: alice.pid }, hub)), 'E_SELF_TRUST');
});
