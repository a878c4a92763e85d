// The compiled client (clients/ts/dist) against the mock server on a real socket; run by
// tests/client/test_client.py with WATCHPARTY_MOCK=host:port and WATCHPARTY_MOCK_TOKEN.
// The mock is steered with `Prefer: code=...` (mocks/prefer.py), added by a fetch wrapper
// to chosen requests so retries can be told apart from first attempts.

import assert from "node:assert/strict";
import { test } from "node:test";

import {
    ApiError,
    ClockSync,
    backoffDelay,
    connectRealtime,
    createApiClient,
    memoryTokenStore,
    parseRetryAfter,
} from "../../clients/ts/dist/index.js";

const HOST = process.env.WATCHPARTY_MOCK;
const TOKEN = process.env.WATCHPARTY_MOCK_TOKEN;
const BASE = `http://${HOST}`;
const PARTY = "9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";
// A JWT-shaped token the mock did not issue: refused with 401.
const FORGED = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.forged";

/** fetch that records each call and adds `Prefer` headers chosen per call by `prefer(url, n)`. */
function recordingFetch(prefer = () => null) {
    const calls = [];
    const impl = (url, init) => {
        const headers = { ...init.headers };
        const code = prefer(String(url), calls.length);
        if (code !== null) headers.Prefer = `code=${code}`;
        calls.push({ url: String(url), method: init.method, headers });
        return fetch(url, { ...init, headers });
    };
    return { calls, impl };
}

function client(options = {}) {
    return createApiClient({ baseUrl: BASE, tokens: memoryTokenStore({ access: TOKEN }), ...options });
}

/** Resolves with the first value `check` returns that is not undefined, polling every 10 ms. */
async function until(check, what, timeoutMs = 5000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const value = check();
        if (value !== undefined && value !== false) return value;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
    }
}

test("typed GET answers the documented list", async () => {
    const page = await client().get("/parties/", { query: { status: "live" } });
    assert.ok(Array.isArray(page.results));
    assert.ok("next" in page);
});

test("path parameters are filled in and encoded", async () => {
    const party = await client().get("/parties/{partyId}/", { path: { partyId: PARTY } });
    assert.equal(typeof party.id, "string");
});

test("{detail, code} errors become ApiError", async () => {
    const { impl } = recordingFetch(() => 404);
    const error = await client({ fetch: impl })
        .get("/parties/{partyId}/", { path: { partyId: PARTY } })
        .catch((e) => e);
    assert.ok(error instanceof ApiError);
    assert.equal(error.status, 404);
    assert.equal(error.code, "not_found");
    assert.equal(typeof error.detail, "string");
    assert.deepEqual(error.fields, {});
});

test("serializer error maps become one ApiError with the fields", async () => {
    const { impl } = recordingFetch(() => 400);
    const error = await client({ fetch: impl })
        .post("/auth/register/", { username: "ana", email: "ana@example.com", password: "long-enough-1" })
        .catch((e) => e);
    assert.ok(error instanceof ApiError);
    assert.equal(error.status, 400);
    assert.equal(error.code, "validation_error");
    assert.ok(Object.keys(error.fields).length > 0, JSON.stringify(error.body));
    assert.equal(error.detail.length > 0, true);
});

// createParty documents 429 (listParties does not, and the mock holds to the spec).
const NEW_PARTY = { title: "Movie night", scheduled_for: "2030-01-01T20:00:00Z" };

test("429 waits Retry-After, then retries and succeeds", async () => {
    const { calls, impl } = recordingFetch((url, n) => (n === 0 ? 429 : null));
    const waits = [];
    const api = client({ fetch: impl, sleep: async (ms) => void waits.push(ms) });
    const party = await api.post("/parties/", NEW_PARTY);
    assert.equal(typeof party.id, "string");
    assert.equal(calls.length, 2);
    assert.equal(waits.length, 1);
    assert.ok(waits[0] > 0 && waits[0] % 1000 === 0, `waited ${waits[0]} ms`);
});

test("429 retries are bounded and the last one reaches the caller", async () => {
    const { calls, impl } = recordingFetch(() => 429);
    const waits = [];
    const api = client({ fetch: impl, rateLimitRetries: 2, sleep: async (ms) => void waits.push(ms) });
    const error = await api.post("/parties/", NEW_PARTY).catch((e) => e);
    assert.ok(error instanceof ApiError);
    assert.equal(error.status, 429);
    assert.equal(typeof error.retryAfter, "number");
    assert.equal(calls.length, 3);
    assert.equal(waits.length, 2);
});

test("a Retry-After over the limit is not waited for", async () => {
    const { calls, impl } = recordingFetch(() => 429);
    const api = client({ fetch: impl, maxRetryAfterMs: 10, sleep: async () => assert.fail("slept") });
    const error = await api.post("/parties/", NEW_PARTY).catch((e) => e);
    assert.equal(error.status, 429);
    assert.equal(calls.length, 1);
});

test("401 refreshes once, stores the rotated pair and retries", async () => {
    const { calls, impl } = recordingFetch();
    const tokens = memoryTokenStore({ access: FORGED, refresh: "old-refresh" });
    const api = createApiClient({ baseUrl: BASE, tokens, fetch: impl });
    const [a, b] = await Promise.all([api.get("/parties/"), api.get("/notifications/")]);
    assert.ok(Array.isArray(a.results) && Array.isArray(b.results));
    const refreshes = calls.filter((c) => c.url.endsWith("/api/auth/refresh/"));
    assert.equal(refreshes.length, 1, "two parallel 401s share one refresh");
    assert.notEqual(tokens.access(), FORGED);
    assert.notEqual(tokens.refresh(), "old-refresh");
    const retried = calls.filter((c) => !c.url.endsWith("/api/auth/refresh/")).slice(-2);
    for (const call of retried) assert.equal(call.headers.Authorization, `Bearer ${tokens.access()}`);
});

test("a refused refresh ends the session: one 401 to the caller, tokens cleared", async () => {
    const { calls, impl } = recordingFetch((url) => (url.endsWith("/api/auth/refresh/") ? 401 : null));
    const tokens = memoryTokenStore({ access: FORGED, refresh: "revoked" });
    let expired = 0;
    const api = createApiClient({ baseUrl: BASE, tokens, fetch: impl, onSessionExpired: () => expired++ });
    const error = await api.get("/parties/").catch((e) => e);
    assert.ok(error instanceof ApiError);
    assert.equal(error.status, 401);
    assert.equal(expired, 1);
    assert.equal(tokens.refresh(), null);
    assert.equal(calls.length, 2, "the request and one refresh, no retry");
});

test("parseRetryAfter reads seconds and HTTP dates", () => {
    assert.equal(parseRetryAfter("12"), 12);
    assert.equal(parseRetryAfter(new Date(Date.now() + 5000).toUTCString()) >= 4, true);
    assert.equal(parseRetryAfter(null), null);
    assert.equal(parseRetryAfter("soon"), null);
});

test("backoff grows exponentially, is capped and jittered", () => {
    const opts = { initialMs: 100, factor: 2, maxMs: 1000, jitter: 0.5 };
    assert.equal(backoffDelay(0, opts, () => 0), 50);
    assert.equal(backoffDelay(0, opts, () => 1), 100);
    assert.equal(backoffDelay(3, opts, () => 1), 800);
    assert.equal(backoffDelay(10, opts, () => 1), 1000);
    assert.equal(backoffDelay(10, opts, () => 0), 500);
});

test("ClockSync follows the NTP formula of the AsyncAPI description", () => {
    const clock = new ClockSync();
    // t0 = 1000, server ts = 1600, t1 = 1200: rtt 200, offset 1600 - 1100 = 500.
    assert.deepEqual(clock.add(1000, 1600, 1200), { rtt: 200, offset: 500 });
    clock.add(2000, 2540, 2040); // rtt 40, offset 520: the better sample
    clock.add(3000, 3700, 3400); // rtt 400, offset 500
    assert.equal(clock.rtt, 40);
    assert.equal(clock.offset, 510); // median of the two lowest-rtt samples (520, 500)
    const state = { status: "playing", position: 10, rate: 2, ref_ts: 5510, video_id: null };
    assert.equal(clock.position(state, 6000), 10 + ((6000 + 510 - 5510) / 1000) * 2);
    assert.equal(clock.position({ ...state, status: "paused" }, 6000), 10);
});

test("party socket: token in the query, typed frames, clock synced by sync.ping", async (t) => {
    const party = connectRealtime({ baseUrl: BASE, channel: "party", partyId: PARTY, token: () => TOKEN, syncSamples: 5 });
    t.after(() => party.close());
    const states = [];
    party.on("playback.state", (frame) => states.push(frame));
    await until(() => party.clock.size >= 5, "five clock samples");
    assert.equal(party.status, "open");
    assert.ok(party.socket.url.includes(`?token=${TOKEN}`));
    assert.ok(party.clock.rtt >= 0 && party.clock.rtt < 1000);
    // Same machine: the server clock is ours, within the round trip.
    assert.ok(Math.abs(party.clock.offset) <= party.clock.rtt / 2 + 5, `offset ${party.clock.offset}`);
    assert.equal(states[0].payload.cause, "join");
    assert.equal(typeof party.position(states[0].payload), "number");
});

test("chat socket: reconnects with backoff after a drop and resumes the missed messages", async (t) => {
    const statuses = [];
    const reader = connectRealtime({
        baseUrl: BASE,
        channel: "chat",
        partyId: PARTY,
        token: () => TOKEN,
        backoff: { initialMs: 300, jitter: 0.5 },
    });
    const writer = connectRealtime({ baseUrl: BASE, channel: "chat", partyId: PARTY, token: () => TOKEN });
    t.after(() => {
        reader.close();
        writer.close();
    });
    reader.onStatus((status, code) => statuses.push([status, code]));
    const seen = [];
    const completions = [];
    reader.on("message.created", (frame) => seen.push(frame.payload.content));
    reader.on("resume.complete", (frame) => completions.push(frame.payload));
    await until(() => reader.status === "open" && writer.status === "open", "both sockets open");

    writer.send("message.send", { content: "before the drop" });
    await until(() => seen.includes("before the drop"), "the first message");
    const since = reader.lastSeenMessageId;

    // A frame over max_frame_bytes makes the server close the socket (1009): a real drop.
    let sent = false;
    reader.onStatus((status) => {
        if (status === "reconnecting" && !sent) {
            sent = true;
            writer.send("message.send", { content: "while away" });
        }
    });
    reader.socket.send("x".repeat(70_000));
    await until(() => completions.length === 1, "resume.complete");

    assert.deepEqual(statuses.slice(0, 2), [["open", undefined], ["reconnecting", 1009]]);
    assert.equal(statuses.at(-1)[0], "open");
    assert.equal(completions[0].since, since);
    assert.equal(completions[0].replayed, 1);
    assert.deepEqual(seen, ["before the drop", "while away"]);
});

test("a refused socket is not retried forever", async (t) => {
    const unknown = connectRealtime({ baseUrl: BASE, channel: "chat", partyId: "not-a-uuid", token: () => TOKEN });
    const forged = connectRealtime({
        baseUrl: BASE,
        channel: "notifications",
        token: () => FORGED,
        backoff: { initialMs: 10 },
    });
    t.after(() => {
        unknown.close();
        forged.close();
    });
    const codes = { unknown: [], forged: [] };
    unknown.onStatus((status, code) => code && codes.unknown.push([status, code]));
    forged.onStatus((status, code) => code && codes.forged.push([status, code]));
    await until(() => unknown.status === "closed" && forged.status === "closed", "both closed");
    assert.deepEqual(codes.unknown, [["closed", 4404]]);
    // 4401 once may be an expired token (token() is asked again); twice, it gives up.
    assert.deepEqual(codes.forged, [["reconnecting", 4401], ["closed", 4401]]);
});
