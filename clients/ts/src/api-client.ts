// REST client in the shape of the frontend guide's `lib/api-client.ts`: `apiClient.get/post/
// patch/delete(path, ...)` with `path` after `/api` (e.g. `/parties/`), typed by
// specs/openapi.yaml where the path is a documented template (`/parties/{partyId}/` with
// `{ path: { partyId } }`), errors normalized into one `ApiError`, one token refresh on 401
// and `Retry-After`-paced retries on 429.

import type { components, paths } from "./types.js";

type Schemas = components["schemas"];
export type TokenPair = Schemas["TokenPair"];

// ---- typed paths ---------------------------------------------------------------------------

type Method = "get" | "post" | "patch" | "delete";
/** Documented paths without their `/api` prefix, as the guide's client takes them. */
type ApiPaths = { [K in keyof paths as K extends `/api${infer Rest}` ? Rest : never]: paths[K] };
/** Paths documenting `M`. */
export type PathsWith<M extends Method> = {
    [P in keyof ApiPaths]: ApiPaths[P] extends { [m in M]: object } ? P : never;
}[keyof ApiPaths];
/** Any path but a documented template of `M`: those only take the typed overload. */
type Undocumented<P extends string, M extends Method> = P extends PathsWith<M> ? never : P;
type Operation<P extends keyof ApiPaths, M extends Method> = ApiPaths[P] extends { [m in M]: infer O }
    ? O
    : never;
type JsonOf<R> = R extends { content: { "application/json": infer B } } ? B : undefined;
/** The body of the operation's first 2xx response. */
export type SuccessBody<O> = O extends { responses: infer R }
    ? 200 extends keyof R
        ? JsonOf<R[200]>
        : 201 extends keyof R
          ? JsonOf<R[201]>
          : 202 extends keyof R
            ? JsonOf<R[202]>
            : undefined
    : unknown;
type RequestJson<O> = O extends { requestBody?: { content: { "application/json": infer B } } }
    ? B
    : unknown;
type Params<O, Where extends "path" | "query"> = O extends { parameters: { [w in Where]?: infer Q } }
    ? Q
    : never;

export type QueryValue = string | number | boolean | null | undefined;

/** Per-call options: path parameters, query, extra headers, abort signal. */
export interface CallOptions<O = unknown> {
    path?: [Params<O, "path">] extends [never] ? Record<string, string> : Params<O, "path">;
    query?: [Params<O, "query">] extends [never] ? Record<string, QueryValue> : Params<O, "query">;
    headers?: Record<string, string>;
    signal?: AbortSignal;
}

// ---- errors --------------------------------------------------------------------------------

/**
 * Every non-2xx answer, normalized. The server answers `{detail, code}` or a serializer map
 * `{field: [messages]}` (DESIGN §3); both end up here: `detail` is a sentence to show,
 * `code` a stable machine code (`validation_error` for a map), `fields` the map (or `{}`).
 */
export class ApiError extends Error {
    override readonly name = "ApiError";
    constructor(
        readonly status: number,
        readonly code: string,
        readonly detail: string,
        readonly fields: Record<string, string[]>,
        /** Seconds from `Retry-After` (429, 503), else null. */
        readonly retryAfter: number | null,
        readonly body: unknown,
    ) {
        super(`${status} ${code}: ${detail}`);
    }

    static from(status: number, body: unknown, retryAfter: number | null): ApiError {
        if (isRecord(body) && typeof body.detail === "string") {
            const code = typeof body.code === "string" ? body.code : `http_${status}`;
            return new ApiError(status, code, body.detail, {}, retryAfter, body);
        }
        if (isRecord(body) && Object.values(body).every(isStringList) && Object.keys(body).length) {
            const fields = body as Record<string, string[]>;
            return new ApiError(status, "validation_error", firstMessage(fields), fields, retryAfter, body);
        }
        const detail = typeof body === "string" && body ? body : `HTTP ${status}`;
        return new ApiError(status, `http_${status}`, detail, {}, retryAfter, body);
    }
}

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isStringList(value: unknown): value is string[] {
    return Array.isArray(value) && value.every((item) => typeof item === "string");
}

function firstMessage(fields: Record<string, string[]>): string {
    const general = fields.non_field_errors?.[0];
    if (general) return general;
    const [field, messages] = Object.entries(fields)[0] ?? ["", []];
    return `${field}: ${messages[0] ?? "invalid"}`;
}

/** `Retry-After` in seconds: delta-seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(header: string | null, now = Date.now()): number | null {
    if (header === null || header.trim() === "") return null;
    if (/^\d+$/.test(header.trim())) return Number(header.trim());
    const when = Date.parse(header);
    return Number.isNaN(when) ? null : Math.max(0, Math.ceil((when - now) / 1000));
}

// ---- tokens --------------------------------------------------------------------------------

/** Where the session's tokens live (memory, a cookie-backed store, ...). */
export interface TokenStore {
    access(): string | null;
    refresh(): string | null;
    /** Called with both tokens after login and after every refresh (refresh tokens rotate). */
    set(tokens: TokenPair): void;
    clear(): void;
}

export function memoryTokenStore(initial?: Partial<TokenPair>): TokenStore {
    let access = initial?.access ?? null;
    let refresh = initial?.refresh ?? null;
    return {
        access: () => access,
        refresh: () => refresh,
        set(tokens) {
            access = tokens.access;
            refresh = tokens.refresh;
        },
        clear() {
            access = null;
            refresh = null;
        },
    };
}

// ---- the client ----------------------------------------------------------------------------

export interface ApiClientOptions {
    /** Origin of the API, e.g. `http://localhost:8000` (the guide's NEXT_PUBLIC_API_BASE_URL). */
    baseUrl: string;
    tokens?: TokenStore;
    /** How many times a 429 is retried after waiting its `Retry-After` (default 2). */
    rateLimitRetries?: number;
    /** A longer `Retry-After` is not waited for: the ApiError goes to the caller (default 60 s). */
    maxRetryAfterMs?: number;
    /** Called once the session is over: a refresh was refused. */
    onSessionExpired?: () => void;
    fetch?: typeof fetch;
    sleep?: (ms: number) => Promise<void>;
}

const REFRESH_PATH = "/auth/refresh/";

export class ApiClient {
    readonly tokens: TokenStore;
    private readonly baseUrl: string;
    private readonly fetchImpl: typeof fetch;
    private readonly sleep: (ms: number) => Promise<void>;
    private refreshing: Promise<boolean> | null = null;

    constructor(private readonly options: ApiClientOptions) {
        this.baseUrl = options.baseUrl.replace(/\/+$/, "");
        this.tokens = options.tokens ?? memoryTokenStore();
        this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
        this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    }

    get<P extends PathsWith<"get">>(path: P, options?: CallOptions<Operation<P, "get">>): Promise<SuccessBody<Operation<P, "get">>>;
    get<T = unknown, P extends string = string>(path: Undocumented<P, "get">, options?: CallOptions): Promise<T>;
    get(path: string, options?: CallOptions): Promise<unknown> {
        return this.request("GET", path, undefined, options);
    }

    post<P extends PathsWith<"post">>(path: P, body?: RequestJson<Operation<P, "post">> | FormData, options?: CallOptions<Operation<P, "post">>): Promise<SuccessBody<Operation<P, "post">>>;
    post<T = unknown, P extends string = string>(path: Undocumented<P, "post">, body?: unknown, options?: CallOptions): Promise<T>;
    post(path: string, body?: unknown, options?: CallOptions): Promise<unknown> {
        return this.request("POST", path, body, options);
    }

    patch<P extends PathsWith<"patch">>(path: P, body?: RequestJson<Operation<P, "patch">>, options?: CallOptions<Operation<P, "patch">>): Promise<SuccessBody<Operation<P, "patch">>>;
    patch<T = unknown, P extends string = string>(path: Undocumented<P, "patch">, body?: unknown, options?: CallOptions): Promise<T>;
    patch(path: string, body?: unknown, options?: CallOptions): Promise<unknown> {
        return this.request("PATCH", path, body, options);
    }

    delete<P extends PathsWith<"delete">>(path: P, options?: CallOptions<Operation<P, "delete">>): Promise<SuccessBody<Operation<P, "delete">>>;
    delete<T = unknown, P extends string = string>(path: Undocumented<P, "delete">, options?: CallOptions): Promise<T>;
    delete(path: string, options?: CallOptions): Promise<unknown> {
        return this.request("DELETE", path, undefined, options);
    }

    /** `POST /api/auth/login/`; stores the tokens unless a 2FA challenge came back. */
    async login(body: Schemas["LoginRequest"]): Promise<Schemas["LoginResponse"]> {
        const answer = await this.post("/auth/login/", body);
        if ("access" in answer) this.tokens.set({ access: answer.access, refresh: answer.refresh });
        return answer;
    }

    /** `POST /api/auth/register/`: creates the account and stores its session's tokens. */
    async register(body: Schemas["RegisterRequest"]): Promise<Schemas["AuthSession"]> {
        const session = await this.post("/auth/register/", body);
        this.tokens.set({ access: session.access, refresh: session.refresh });
        return session;
    }

    /** `POST /api/auth/refresh/` with the stored refresh token; the new pair replaces it. */
    async refreshTokens(): Promise<boolean> {
        // One refresh at a time: concurrent 401s wait for the same one (a refresh token
        // is single-use, a second parallel refresh would be refused).
        this.refreshing ??= this.doRefresh().finally(() => {
            this.refreshing = null;
        });
        return this.refreshing;
    }

    private async doRefresh(): Promise<boolean> {
        const refresh = this.tokens.refresh();
        if (refresh === null) return false;
        const response = await this.send("POST", REFRESH_PATH, { refresh }, undefined, false);
        if (!response.ok) {
            this.tokens.clear();
            this.options.onSessionExpired?.();
            return false;
        }
        this.tokens.set((await readBody(response)) as TokenPair);
        return true;
    }

    /** Any method and path (after `/api`); what get/post/patch/delete call. */
    async request(method: string, path: string, body?: unknown, options?: CallOptions): Promise<unknown> {
        const limit = this.options.rateLimitRetries ?? 2;
        const maxWait = this.options.maxRetryAfterMs ?? 60_000;
        let refreshed = false;
        for (let rateLimited = 0; ; ) {
            const sentWith = this.tokens.access();
            const response = await this.send(method, path, body, options, true);
            if (response.ok) return readBody(response);
            const retryAfter = parseRetryAfter(response.headers.get("Retry-After"));
            const error = ApiError.from(response.status, await readBody(response), retryAfter);
            if (response.status === 401 && !refreshed && path !== REFRESH_PATH) {
                refreshed = true;
                // A refresh that finished while this request was out already brought a new
                // access token: retry with it rather than spend the new refresh token.
                const renewed = this.tokens.access() !== sentWith && this.tokens.access() !== null;
                if (renewed || (this.tokens.refresh() !== null && (await this.refreshTokens()))) continue;
                throw error;
            }
            if (response.status === 429 && rateLimited < limit && retryAfter !== null && retryAfter * 1000 <= maxWait) {
                rateLimited += 1;
                await this.sleep(retryAfter * 1000);
                continue;
            }
            throw error;
        }
    }

    private send(method: string, path: string, body: unknown, options: CallOptions | undefined, auth: boolean): Promise<Response> {
        const headers: Record<string, string> = { Accept: "application/json", ...options?.headers };
        const access = auth ? this.tokens.access() : null;
        if (access !== null) headers.Authorization = `Bearer ${access}`;
        let payload: BodyInit | undefined;
        if (body instanceof FormData) {
            payload = body; // fetch sets the multipart boundary itself
        } else if (body !== undefined) {
            headers["Content-Type"] = "application/json";
            payload = JSON.stringify(body);
        }
        const init: RequestInit = { method, headers };
        if (payload !== undefined) init.body = payload;
        if (options?.signal) init.signal = options.signal;
        return this.fetchImpl(this.url(path, options), init);
    }

    private url(path: string, options: CallOptions | undefined): string {
        const pathParams = (options?.path ?? {}) as Record<string, string>;
        const filled = path.replace(/\{(\w+)\}/g, (_, name: string) => {
            const value = pathParams[name];
            if (value === undefined) throw new TypeError(`missing path parameter ${name} for ${path}`);
            return encodeURIComponent(value);
        });
        const query = new URLSearchParams();
        for (const [key, value] of Object.entries((options?.query ?? {}) as Record<string, QueryValue>)) {
            if (value !== undefined && value !== null) query.append(key, String(value));
        }
        const search = query.toString();
        return `${this.baseUrl}/api${filled}${search ? `?${search}` : ""}`;
    }
}

async function readBody(response: Response): Promise<unknown> {
    if (response.status === 204) return undefined;
    const text = await response.text();
    if (!text) return undefined;
    const type = response.headers.get("Content-Type") ?? "";
    if (type.includes("json")) {
        try {
            return JSON.parse(text);
        } catch {
            return text;
        }
    }
    return text;
}

/** The guide's `apiClient`, for a given origin: `createApiClient({ baseUrl })`. */
export function createApiClient(options: ApiClientOptions): ApiClient {
    return new ApiClient(options);
}
