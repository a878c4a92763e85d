// The compiled client (clients/ts/dist) against a real `watchparty serve` (SQLite, fresh data
// dir); run by tests/client/test_client.py with WATCHPARTY_SERVER=http://host:port.
// One session story, in order: register, list, create, login, an access token that no
// longer works (refresh + retry), and the refresh token's rotation.

import assert from "node:assert/strict";
import { test } from "node:test";

import { ApiError, createApiClient, memoryTokenStore } from "../../clients/ts/dist/index.js";

const BASE = process.env.WATCHPARTY_SERVER;
const suffix = `${process.pid}${Date.now() % 100000}`;
const account = { username: `node_${suffix}`, email: `node_${suffix}@example.com`, password: "client-test-pass-1" };
const tokens = memoryTokenStore();
const api = createApiClient({ baseUrl: BASE, tokens });

test("register stores the session's tokens", async () => {
    const session = await api.register(account);
    assert.equal(session.user.username, account.username);
    assert.equal(tokens.access(), session.access);
    assert.equal(tokens.refresh(), session.refresh);
});

test("a duplicate registration is one ApiError with the field map", async () => {
    const error = await createApiClient({ baseUrl: BASE })
        .register(account)
        .catch((e) => e);
    assert.ok(error instanceof ApiError, String(error));
    assert.equal(error.status, 400);
    assert.equal(error.code, "validation_error");
    assert.ok(error.fields.username || error.fields.email, JSON.stringify(error.body));
});

test("create and list parties", async () => {
    const created = await api.post("/parties/", { title: "Client night", scheduled_for: "2030-01-01T20:00:00Z" });
    const page = await api.get("/parties/");
    assert.ok(page.results.some((party) => party.id === created.id));
    const one = await api.get("/parties/{partyId}/", { path: { partyId: created.id } });
    assert.equal(one.title, "Client night");
});

test("an invalid body is a validation ApiError naming the field", async () => {
    const error = await api.post("/parties/", { scheduled_for: "2030-01-01T20:00:00Z" }).catch((e) => e);
    assert.ok(error instanceof ApiError, String(error));
    assert.equal(error.status, 400);
    assert.ok("title" in error.fields, JSON.stringify(error.body));
});

test("login, then a dead access token: one refresh, rotation stored, the call retried", async () => {
    const session = await api.login({ email: account.email, password: account.password });
    assert.ok("access" in session);
    const refreshBefore = tokens.refresh();
    tokens.set({ access: `${session.access}x`, refresh: refreshBefore }); // signature broken
    const page = await api.get("/parties/");
    assert.ok(Array.isArray(page.results));
    assert.notEqual(tokens.refresh(), refreshBefore, "the refresh token rotated");
    assert.notEqual(tokens.access(), `${session.access}x`);
    // The used refresh token is spent: a second exchange with it is refused.
    const replay = createApiClient({ baseUrl: BASE, tokens: memoryTokenStore({ refresh: refreshBefore }) });
    assert.equal(await replay.refreshTokens(), false);
});

test("without a refresh token a 401 goes straight to the caller", async () => {
    const error = await createApiClient({ baseUrl: BASE, tokens: memoryTokenStore({ access: "nope" }) })
        .get("/parties/")
        .catch((e) => e);
    assert.ok(error instanceof ApiError, String(error));
    assert.equal(error.status, 401);
    assert.equal(typeof error.code, "string");
});
