// Compile-time checks of the client's types (`tsc --noEmit -p tests/client`): documented paths
// give typed bodies and answers, undocumented ones fall back to `unknown`, frames are typed
// by channel. Each `@ts-expect-error` fails the build if the mistake below it type-checks.

import { createApiClient, connectRealtime, type SuccessBody } from "../../clients/ts/src/index.js";

export async function usage(): Promise<void> {
    const api = createApiClient({ baseUrl: "http://localhost:8000" });

    const page = await api.get("/parties/", { query: { status: "live" } });
    // @ts-expect-error: listParties has no `stauts` parameter
    await api.get("/parties/", { query: { stauts: "live" } });
    const firstTitle: string | undefined = page.results[0]?.title;

    const party = await api.get("/parties/{partyId}/", { path: { partyId: "p" } });
    const host: string = party.host.id;

    const created = await api.post("/parties/", { title: "Movie night", scheduled_for: "2026-12-01T20:00:00Z" });
    const createdId: string = created.id;

    // @ts-expect-error: `titel` is not a field of PartyCreate
    await api.post("/parties/", { titel: "typo", scheduled_for: "2026-12-01T20:00:00Z" });

    // @ts-expect-error: a party answer has no `nope`
    void party.nope;

    const loose = await api.get<{ anything: number }>("/not/documented/");
    const n: number = loose.anything;

    const session = await api.login({ email: "a@example.com", password: "secret-pass" });
    if ("access" in session) void session.user.username;

    const partySocket = connectRealtime({ baseUrl: "http://localhost:8000", channel: "party", partyId: "p", token: () => null });
    partySocket.on("playback.state", (frame) => {
        const seconds: number = partySocket.position(frame.payload);
        void seconds;
    });
    partySocket.send("playback.seek", { position: 12.5 });
    // @ts-expect-error: chat frames are not party frames
    partySocket.send("message.send", { content: "hi" });

    const chat = connectRealtime({ baseUrl: "http://localhost:8000", channel: "chat", partyId: "p", token: () => null });
    chat.on("message.created", (frame) => void frame.payload.content);
    // @ts-expect-error: the chat channel carries no playback frames
    chat.on("playback.state", () => undefined);

    void [firstTitle, host, createdId, n];
}

export type PartyList = SuccessBody<{ responses: { 200: { content: { "application/json": { ok: true } } } } }>;
