// Realtime helper, the guide's `WebSocketProvider` without React: one `RealtimeConnection` per
// channel socket. It authenticates with the access JWT as `?token=`, reconnects with
// exponential backoff and jitter, dispatches typed frames by `type`, replays missed chat
// messages with `resume {since}` after a reconnect and keeps an NTP-style clock offset
// (`sync.ping`/`sync.pong`) to place the room's playback position on the local clock.
// The formulas are those of specs/asyncapi.yaml (description of `sync.pong`).

import { CHANNELS, type ChannelFrames } from "./channels.js";
import type { components } from "./frames.js";

export type ChannelName = keyof ChannelFrames;
export type ServerFrame<C extends ChannelName> = ChannelFrames[C]["server"];
export type ClientFrame<C extends ChannelName> = ChannelFrames[C]["client"];
export type ServerType<C extends ChannelName> = ServerFrame<C>["type"];
export type ClientType<C extends ChannelName> = ClientFrame<C>["type"];
export type ServerFrameOf<C extends ChannelName, T> = Extract<ServerFrame<C>, { type: T }>;
export type ClientPayload<C extends ChannelName, T> = Extract<ClientFrame<C>, { type: T }>["payload"];
export type PlaybackState = components["schemas"]["PlaybackState"];

export type ConnectionStatus = "idle" | "connecting" | "open" | "reconnecting" | "closed";

/** Close codes after which reconnecting cannot help (DESIGN §4): not allowed, unknown party. */
const FINAL_CLOSE_CODES = new Set([4403, 4404]);
const UNAUTHORIZED = 4401;
const OPEN = 1; // WebSocket.OPEN, without needing a global WebSocket

export interface BackoffOptions {
    /** First delay (ms, default 500), multiplied by `factor` (2) per failed attempt up to `maxMs` (30 s). */
    initialMs?: number;
    factor?: number;
    maxMs?: number;
    /** Share of each delay that is random (0..1, default 0.5): reconnect storms spread out. */
    jitter?: number;
}

/** The delay before reconnect attempt `attempt` (0-based). */
export function backoffDelay(attempt: number, options: BackoffOptions = {}, random: () => number = Math.random): number {
    const { initialMs = 500, factor = 2, maxMs = 30_000, jitter = 0.5 } = options;
    const base = Math.min(maxMs, initialMs * factor ** attempt);
    return base * (1 - jitter) + base * jitter * random();
}

// ---- clock sync ----------------------------------------------------------------------------

export interface ClockSample {
    rtt: number;
    offset: number;
}

/**
 * NTP-style estimate of `server clock - local clock`. For a ping sent at t0 (local ms) and
 * answered with server time ts, received at t1: `rtt = t1 - t0`, `offset = ts - (t0 + t1) / 2`.
 * The estimate is the median offset of the lowest-rtt half of the last `keep` samples.
 */
export class ClockSync {
    private samples: ClockSample[] = [];

    constructor(private readonly keep = 8) {}

    add(t0: number, serverTs: number, t1: number): ClockSample {
        const sample = { rtt: t1 - t0, offset: serverTs - (t0 + t1) / 2 };
        this.samples = [...this.samples, sample].slice(-this.keep);
        return sample;
    }

    get size(): number {
        return this.samples.length;
    }

    /** Server minus local clock (ms); 0 before the first sample. */
    get offset(): number {
        if (!this.samples.length) return 0;
        const best = [...this.samples].sort((a, b) => a.rtt - b.rtt).slice(0, Math.ceil(this.samples.length / 2));
        const offsets = best.map((s) => s.offset).sort((a, b) => a - b);
        const mid = Math.floor(offsets.length / 2);
        return offsets.length % 2 ? offsets[mid]! : (offsets[mid - 1]! + offsets[mid]!) / 2;
    }

    /** Smallest round trip seen (ms): the offset is accurate to within half of it. */
    get rtt(): number {
        return this.samples.length ? Math.min(...this.samples.map((s) => s.rtt)) : Number.NaN;
    }

    serverNow(localNow: number = Date.now()): number {
        return localNow + this.offset;
    }

    /** The room position (s) at `localNow`: advancing at `rate` while playing, fixed when paused. */
    position(state: PlaybackState, localNow: number = Date.now()): number {
        if (state.status !== "playing") return state.position;
        return state.position + ((this.serverNow(localNow) - state.ref_ts) / 1000) * state.rate;
    }
}

// ---- the connection ------------------------------------------------------------------------

export interface RealtimeOptions<C extends ChannelName> {
    /** Origin of the server: `http(s)://` or `ws(s)://host:port`. */
    baseUrl: string;
    channel: C;
    /** For the party-scoped channels (all but `notifications`). */
    partyId?: string;
    /** The current access JWT, asked again before every (re)connect: refresh it there. */
    token: () => string | null | Promise<string | null>;
    backoff?: BackoffOptions;
    /** Give up after this many failed reconnects in a row (default: never). */
    maxReconnects?: number;
    /** Clock-sync pings on connect (default 6, party channel only) and then one every `syncIntervalMs` (30 s). */
    syncSamples?: number;
    syncIntervalMs?: number;
    /** A WebSocket constructor (default: the global one). */
    WebSocket?: typeof WebSocket;
    random?: () => number;
    /** Local clock in ms since the epoch (default `Date.now`, which `ClockSync` also defaults to). */
    now?: () => number;
}

type Handler<F> = (frame: F) => void;

export class RealtimeConnection<C extends ChannelName> {
    readonly clock = new ClockSync();
    private ws: WebSocket | null = null;
    private state: ConnectionStatus = "idle";
    private failures = 0;
    private opened = false;
    private unauthorizedInARow = 0;
    private timer: ReturnType<typeof setTimeout> | null = null;
    private syncTimer: ReturnType<typeof setInterval> | null = null;
    private nextId = 0;
    private lastMessageId: string | null = null;
    private readonly handlers = new Map<string, Set<Handler<never>>>();
    private readonly anyHandlers = new Set<Handler<ServerFrame<C>>>();
    private readonly statusHandlers = new Set<(status: ConnectionStatus, closeCode?: number) => void>();
    private readonly now: () => number;

    constructor(private readonly options: RealtimeOptions<C>) {
        this.now = options.now ?? (() => Date.now());
    }

    get status(): ConnectionStatus {
        return this.state;
    }

    /** The current socket (null between attempts). */
    get socket(): WebSocket | null {
        return this.ws;
    }

    /** Id of the last chat message seen: what `resume` is sent with after a reconnect. */
    get lastSeenMessageId(): string | null {
        return this.lastMessageId;
    }

    /** Handle frames of one `type`; returns the unsubscribe function. */
    on<T extends ServerType<C>>(type: T, handler: Handler<ServerFrameOf<C, T>>): () => void {
        const set = this.handlers.get(type) ?? new Set();
        set.add(handler as Handler<never>);
        this.handlers.set(type, set);
        return () => set.delete(handler as Handler<never>);
    }

    onAny(handler: Handler<ServerFrame<C>>): () => void {
        this.anyHandlers.add(handler);
        return () => this.anyHandlers.delete(handler);
    }

    onStatus(handler: (status: ConnectionStatus, closeCode?: number) => void): () => void {
        this.statusHandlers.add(handler);
        return () => this.statusHandlers.delete(handler);
    }

    /** Send a client frame; returns its envelope `id` (echoed as `ref` in `error` frames). */
    send<T extends ClientType<C>>(type: T, payload: ClientPayload<C, T>, id = `c-${++this.nextId}`): string {
        if (!this.write(type, payload, id)) {
            throw new Error(`cannot send ${type}: the ${this.options.channel} socket is ${this.state}`);
        }
        return id;
    }

    /** The room position (s) now, from a `playback.state` payload and the synced clock. */
    position(state: PlaybackState): number {
        return this.clock.position(state, this.now());
    }

    /** Open the socket; a no-op unless idle or closed (it reconnects by itself). */
    connect(): void {
        if (this.state !== "idle" && this.state !== "closed") return;
        void this.open();
    }

    /** Close for good (no reconnect). */
    close(): void {
        this.setStatus("closed");
        this.clearTimers();
        this.ws?.close(1000);
        this.ws = null;
    }

    private async open(): Promise<void> {
        this.setStatus(this.opened ? "reconnecting" : "connecting");
        let token: string | null;
        try {
            token = await this.options.token();
        } catch {
            this.setStatus("closed"); // no token to be had (a refused refresh): the session is over
            return;
        }
        if (this.state === "closed") return;
        const Impl = this.options.WebSocket ?? globalThis.WebSocket;
        const ws = new Impl(this.url(token));
        this.ws = ws;
        ws.onmessage = (event) => this.receive(String(event.data));
        ws.onclose = (event) => this.closed(ws, event.code);
    }

    private url(token: string | null): string {
        const origin = this.options.baseUrl.replace(/^http/, "ws").replace(/\/+$/, "");
        const address = CHANNELS[this.options.channel].replace("{partyId}", encodeURIComponent(this.options.partyId ?? ""));
        return `${origin}${address}${token ? `?token=${encodeURIComponent(token)}` : ""}`;
    }

    private receive(data: string): void {
        let frame: ServerFrame<C>;
        try {
            frame = JSON.parse(data) as ServerFrame<C>;
        } catch {
            return; // the server only sends JSON; anything else is not ours to dispatch
        }
        const type: string = frame.type;
        if (type === "session.welcome") this.welcomed();
        else if (type === "sync.pong") this.ponged(frame as unknown as components["schemas"]["ServerSyncPong"]);
        else if (type === "message.created") {
            this.lastMessageId = (frame as unknown as components["schemas"]["ServerMessageCreated"]).payload.id;
        }
        for (const handler of this.handlers.get(type) ?? []) (handler as Handler<ServerFrame<C>>)(frame);
        for (const handler of this.anyHandlers) handler(frame);
    }

    private welcomed(): void {
        const reconnected = this.opened;
        this.opened = true;
        this.failures = 0;
        this.unauthorizedInARow = 0;
        this.setStatus("open");
        if (this.options.channel === "chat" && reconnected && this.lastMessageId !== null) {
            this.write("resume", { since: this.lastMessageId }, `c-${++this.nextId}`);
        }
        if (this.options.channel === "party") this.startClockSync();
    }

    private startClockSync(): void {
        const samples = this.options.syncSamples ?? 6;
        // Pings go one after the other (the next on each pong) so they do not queue behind
        // each other and inflate the round trips.
        let left = samples;
        const next = (): void => {
            if (left-- > 0) this.ping();
        };
        this.afterPong = next;
        next();
        this.syncTimer = setInterval(() => this.ping(), this.options.syncIntervalMs ?? 30_000);
    }

    private afterPong: () => void = () => undefined;

    private ping(): void {
        this.write("sync.ping", { client_ts: this.now() }, `c-${++this.nextId}`);
    }

    private ponged(frame: components["schemas"]["ServerSyncPong"]): void {
        // t0 comes back in the pong itself: no bookkeeping of pings in flight.
        this.clock.add(frame.payload.client_ts, frame.payload.server_ts, this.now());
        this.afterPong();
    }

    private write(type: string, payload: unknown, id: string): boolean {
        if (this.ws === null || this.ws.readyState !== OPEN) return false;
        this.ws.send(JSON.stringify({ type, id, payload }));
        return true;
    }

    private closed(ws: WebSocket, code: number): void {
        if (ws !== this.ws) return;
        this.ws = null;
        this.clearTimers();
        if (this.state === "closed") return;
        this.unauthorizedInARow = code === UNAUTHORIZED ? this.unauthorizedInARow + 1 : 0;
        // 4401 once: the token expired, `token()` may bring a fresh one; twice: it will not.
        const hopeless = FINAL_CLOSE_CODES.has(code) || this.unauthorizedInARow > 1;
        const attempt = this.failures++;
        if (hopeless || attempt >= (this.options.maxReconnects ?? Number.POSITIVE_INFINITY)) {
            this.setStatus("closed", code);
            return;
        }
        this.setStatus("reconnecting", code);
        this.timer = setTimeout(() => void this.open(), backoffDelay(attempt, this.options.backoff, this.options.random));
    }

    private clearTimers(): void {
        if (this.timer !== null) clearTimeout(this.timer);
        if (this.syncTimer !== null) clearInterval(this.syncTimer);
        this.timer = this.syncTimer = null;
        this.afterPong = () => undefined;
    }

    private setStatus(status: ConnectionStatus, closeCode?: number): void {
        this.state = status;
        for (const handler of this.statusHandlers) handler(status, closeCode);
    }
}

/** Open a channel: `connectRealtime({ baseUrl, channel: "party", partyId, token })`. */
export function connectRealtime<C extends ChannelName>(options: RealtimeOptions<C>): RealtimeConnection<C> {
    const connection = new RealtimeConnection(options);
    connection.connect();
    return connection;
}
