// The demo watch page (docs/demo.md): account, party, synced player, chat, reactions, polls.
// Everything goes through the compiled TypeScript client (clients/ts/dist, served at ./client/).

import { ApiError, connectRealtime, createApiClient } from "./client/index.js";

const $ = (id) => document.getElementById(id);
const api = createApiClient({
    baseUrl: location.origin,
    onSessionExpired: () => show("Your session expired: log in again."),
});

// Past this the player jumps to the room position; below it, it catches up by playing a
// little faster or slower, which does not stall the picture like a seek does.
const HARD_SEEK_SECS = 0.3;
const MAX_RATE_NUDGE = 0.2;
const FOLLOW_EVERY_MS = 100;

function show(message) {
    $("status").textContent = message;
}

function failed(error) {
    show(error instanceof ApiError ? error.detail : String(error));
}

/** Run `handler(formData, submitter)` on submit, with errors shown in the status line. */
function onSubmit(id, handler) {
    $(id).addEventListener("submit", (event) => {
        event.preventDefault();
        show("");
        handler(new FormData(event.target), event.submitter).catch(failed);
    });
}

function addLine(list, text) {
    const item = document.createElement("li");
    item.textContent = text;
    list.append(item);
    list.scrollTop = list.scrollHeight;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// ---- account -------------------------------------------------------------------------------

onSubmit("auth-form", async (form, button) => {
    const email = form.get("email");
    const password = form.get("password");
    if (button?.value === "register") {
        await api.register({ username: form.get("username"), email, password });
    } else if (!("access" in (await api.login({ email, password })))) {
        throw new Error("This account uses two-factor login, which the demo does not do.");
    }
    const me = await api.get("/auth/me/");
    $("whoami").textContent = `Signed in as ${me.username}.`;
    $("auth-form").hidden = true;
    $("lobby").hidden = false;
    await listVideos();
    const shared = new URLSearchParams(location.search).get("party");
    if (shared) await enterParty(shared, { join: true });
});

// ---- lobby: upload, create, join -----------------------------------------------------------

async function listVideos(selected) {
    const page = await api.get("/videos/", { query: { processing_state: "ready", page_size: 100 } });
    const select = $("create-form").elements.video;
    select.replaceChildren(new Option("(no video)", ""), ...page.results.map((v) => new Option(v.title, v.id)));
    if (selected) select.value = selected;
}

onSubmit("upload-form", async (form) => {
    const file = form.get("file");
    const body = new FormData();
    body.set("file", file);
    body.set("title", file.name);
    let video = await api.post("/videos/upload/", body);
    // Processing (probe, thumbnails, a transcode when needed) runs in the background.
    while (!["ready", "failed"].includes(video.processing_state)) {
        $("upload-state").textContent = video.processing_state;
        await sleep(500);
        video = await api.get("/videos/{videoId}/", { path: { videoId: video.id } });
    }
    await listVideos(video.id); // before saying so: "ready" means it can be picked
    $("upload-state").textContent = video.processing_state;
});

onSubmit("create-form", async (form) => {
    const party = await api.post("/parties/", {
        title: form.get("title"),
        scheduled_for: new Date(Date.now() + 60_000).toISOString(),
        video: form.get("video") || null,
        settings: { visibility: "unlisted" }, // joinable by anyone who has its id
    });
    await enterParty(party.id, { join: false });
});

onSubmit("join-form", (form) => enterParty(form.get("party").trim(), { join: true }));

// ---- the room ------------------------------------------------------------------------------

async function enterParty(partyId, { join }) {
    if (join) await api.post("/parties/{partyId}/join/", undefined, { path: { partyId } });
    const party = await api.get("/parties/{partyId}/", { path: { partyId } });
    if (party.my_status !== "joined") {
        show("Waiting for the host to approve you; join again once approved.");
        return;
    }
    history.replaceState(null, "", `?party=${partyId}`);
    $("lobby").hidden = true;
    $("room").hidden = false;
    $("party-title").textContent = party.title;
    $("party-id").textContent = party.id;
    $("role").textContent = party.my_role;
    const host = party.my_role === "host";
    $("controls").hidden = !(host || party.settings.allow_guest_control);
    $("poll-form").hidden = !host;
    openSockets(partyId);
}

function openSockets(partyId) {
    // A fresh access token for every (re)connect: the sockets outlive short-lived tokens.
    const token = async () => ((await api.refreshTokens()) ? api.tokens.access() : null);
    const open = (channel) => {
        const connection = connectRealtime({ baseUrl: location.origin, channel, partyId, token });
        connection.on("error", (frame) => show(frame.payload.detail));
        return connection;
    };
    playbackRoom(open("party"));
    chatRoom(open("chat"));
    pollRoom(open("polls"));
}

// ---- playback: follow the room's authoritative state ---------------------------------------

function playbackRoom(party) {
    const player = $("player");
    let state = null; // the last `playback.state` payload
    let videoId = null;

    party.on("playback.state", (frame) => {
        state = frame.payload;
        if (state.video_id !== videoId) {
            videoId = state.video_id;
            loadVideo(player, videoId).catch(failed);
        }
        follow();
    });
    party.on("reaction", ({ payload: r }) => {
        $("last-reaction").textContent = `${r.user.username} ${r.emoji} at ${r.position?.toFixed(1) ?? "?"} s`;
    });

    $("play").onclick = () => party.send("playback.play", {});
    $("pause").onclick = () => party.send("playback.pause", {});
    $("seek").onclick = () => party.send("playback.seek", { position: Number($("seek-to").value) });
    $("sound").onchange = (event) => (player.muted = !event.target.checked);
    for (const button of $("reactions").querySelectorAll("button")) {
        button.onclick = () => party.send("reaction", { emoji: button.textContent });
    }

    /** The room position now (s, at most the video's end) and the player's drift (s, + = ahead). */
    function measure() {
        const room = Math.min(party.position(state), player.duration || Infinity);
        return { room, drift: player.currentTime - room };
    }

    function follow() {
        if (state === null || !player.currentSrc || player.readyState === 0) return;
        const { room, drift } = measure();
        $("drift").textContent = Math.round(drift * 1000);
        $("room-position").textContent = room.toFixed(2);
        $("offset").textContent = Math.round(party.clock.offset);
        $("rtt").textContent = party.clock.size ? Math.round(party.clock.rtt) : "–";
        if (player.seeking) return; // a jump is under way: let it land before judging
        if (state.status !== "playing" || room >= player.duration) {
            if (!player.paused) player.pause(); // (a player at its end would restart on play())
            if (Math.abs(drift) > 0.01) player.currentTime = room;
            return;
        }
        if (Math.abs(drift) > HARD_SEEK_SECS) {
            player.currentTime = room;
            player.playbackRate = state.rate;
        } else {
            // Close the gap in about half a second: 50 ms behind plays 10 % faster.
            const nudge = Math.max(-MAX_RATE_NUDGE, Math.min(MAX_RATE_NUDGE, -2 * drift));
            player.playbackRate = state.rate * (1 + nudge);
        }
        if (player.paused) player.play().catch(() => show("Click the page to let the video play."));
    }

    player.addEventListener("loadedmetadata", follow);
    setInterval(follow, FOLLOW_EVERY_MS);

    // For the browser test and the devtools console: the drift meter's numbers, read at one
    // instant, with the raw room state and the local clock (docs/demo.md, "Measuring").
    window.demo = {
        snapshot: () => {
            if (state === null) return null;
            const { room, drift } = measure();
            return {
                currentTime: player.currentTime,
                paused: player.paused,
                now: Date.now(),
                room,
                drift,
                offset: party.clock.offset,
                rtt: party.clock.rtt,
                state,
            };
        },
    };
}

async function loadVideo(player, videoId) {
    if (videoId === null) {
        player.removeAttribute("src");
        return;
    }
    const video = await api.get("/videos/{videoId}/", { path: { videoId } });
    if (video.stream_url === null) {
        show(`The video is ${video.processing_state}; it plays once ready.`);
        return;
    }
    player.src = video.stream_url; // signed /media/ URL, range requests for seeking
}

// ---- chat ----------------------------------------------------------------------------------

function chatRoom(chat) {
    chat.on("message.created", ({ payload: m }) => {
        addLine($("chat-log"), `${m.author?.username ?? "(deleted)"}: ${m.content}`);
    });
    onSubmit("chat-form", async (form) => {
        chat.send("message.send", { content: form.get("content"), client_id: crypto.randomUUID() });
        $("chat-form").reset();
    });
}

// ---- polls ---------------------------------------------------------------------------------

function pollRoom(socket) {
    const polls = new Map(); // id -> Poll, newest first
    const voted = new Set(); // ids of polls this user voted in

    const render = () => {
        $("polls").replaceChildren(
            ...[...polls.values()].map((poll) => {
                const box = document.createElement("p");
                box.className = "poll";
                box.append(`${poll.question} (${poll.status}, ${poll.total_votes} votes) `);
                for (const option of poll.options) {
                    const button = document.createElement("button");
                    button.textContent = `${option.text}: ${option.votes}`;
                    button.disabled = poll.status !== "open" || voted.has(poll.id);
                    button.onclick = () => {
                        socket.send("poll.vote", { poll_id: poll.id, option_ids: [option.id] });
                        voted.add(poll.id); // one vote per poll: the server refuses a second
                        render();
                    };
                    box.append(button);
                }
                return box;
            }),
        );
    };
    const update = ({ payload: poll }) => {
        polls.set(poll.id, poll);
        render();
    };

    socket.on("poll.list", ({ payload }) => {
        polls.clear();
        for (const poll of payload.polls) polls.set(poll.id, poll);
        for (const ballot of payload.my_votes) voted.add(ballot.poll_id);
        render();
    });
    socket.on("poll.created", (frame) => {
        const newest = new Map([[frame.payload.id, frame.payload], ...polls]);
        polls.clear();
        for (const [id, poll] of newest) polls.set(id, poll);
        render();
    });
    socket.on("poll.results", update);
    socket.on("poll.closed", update);

    onSubmit("poll-form", async (form) => {
        const options = form.get("options").split(",").map((text) => text.trim()).filter(Boolean);
        socket.send("poll.create", { question: form.get("question"), options });
        $("poll-form").reset();
    });
}
