// Types of the protocol half of a generated gradio-codegen JavaScript client.

/** Any JSON value. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** A file the app returned; `url` is where to fetch it. */
export interface FileData {
  path: string;
  url?: string | null;
  size?: number | null;
  orig_name?: string | null;
  mime_type?: string | null;
  is_stream?: boolean;
  meta?: { _type: "gradio.FileData" };
}

/**
 * A file to send: a Blob or File, raw bytes, an http(s) URL, a FileData the app returned,
 * or (under Node) a local path.
 */
export type FileInput = Blob | Uint8Array | ArrayBuffer | string | FileData;

export const DEFAULT_TIMEOUT: number;
export const DEFAULT_RETRIES: number;
/** The longest event-stream message (and JSON answer) the client reads: 64 Mi characters. */
export const DEFAULT_MAX_MESSAGE_BYTES: number;
/** The largest file `download()` takes: 10 GiB. */
export const DEFAULT_MAX_DOWNLOAD_BYTES: number;

declare global {
  interface SymbolConstructor {
    /** `await using` (TypeScript 5.2+, Node 20+); undefined on older platforms. */
    readonly asyncDispose: unique symbol;
  }
}

export interface ClientOptions {
  /** The app's URL; defaults to the one the client was generated from. */
  baseUrl?: string;
  /**
   * Hugging Face token for private Spaces, sent to the app as `x-hf-authorization` (HF's
   * proxy reads and strips it, so the Space's code never sees it). Without one, HF_TOKEN, else
   * the token `hf auth login` saved (both under Node), goes only to Hugging Face hosts;
   * `null` sends none.
   */
  token?: string | null;
  /** Send HF_TOKEN (or the saved token) to an app that is not on a Hugging Face host too. */
  sendEnvToken?: boolean;
  /** User and password of an app launched with `auth=`; the client logs in on first use. */
  auth?: readonly [string, string];
  /** Extra HTTP headers for every request to the app. */
  headers?: Record<string, string>;
  /** Milliseconds each call may take; null waits forever. */
  timeout?: number | null;
  /**
   * How often a call the server did not take (429, 503, a refused connection) is posted
   * again, after a pause; default 3. A call the server may have queued is never resent.
   */
  retries?: number;
  /** A fetch implementation to use instead of the platform's. */
  fetch?: typeof globalThis.fetch;
  /**
   * The longest event-stream message or JSON answer read (characters; default
   * DEFAULT_MAX_MESSAGE_BYTES): a longer one fails the call with LimitExceededError.
   */
  maxMessageBytes?: number;
}

export interface DownloadOptions {
  /** Replace the file at `dest` when there is one (never done otherwise). */
  overwrite?: boolean;
  /** The largest file taken (default DEFAULT_MAX_DOWNLOAD_BYTES): LimitExceededError over it. */
  maxBytes?: number;
  /** Milliseconds the whole download may take; default the client's timeout; null: no limit. */
  timeout?: number | null;
  /** Aborting it stops the download (JobCancelledError). */
  signal?: AbortSignal;
}

export interface CallOptions {
  /** Extra HTTP headers for this call alone. */
  headers?: Record<string, string>;
  /** Milliseconds this call may take; null waits forever. */
  timeout?: number | null;
  /** Aborting it cancels the job. */
  signal?: AbortSignal;
  /** Called with each gr.Info / gr.Warning / gr.Success as it arrives; if it throws, the job fails. */
  onMessage?: (message: AppMessage) => void;
}

export type MessageLevel = "info" | "warning" | "success" | "error";

/** What the app showed while the job ran: gr.Info, gr.Warning, gr.Success. */
export interface AppMessage {
  readonly level: MessageLevel;
  readonly text: string;
  /** null where the version sends none (4.x). */
  readonly title: string | null;
}

export type Stage =
  | "pending"
  | "queued"
  | "processing"
  | "iterating"
  | "finished"
  | "failed"
  | "cancelled";

export interface Progress {
  index: number | null;
  length: number | null;
  unit: string | null;
  progress: number | null;
  desc: string | null;
}

export interface Status {
  stage: Stage;
  rank: number | null;
  queueSize: number | null;
  /** Seconds, as the app estimates them. */
  eta: number | null;
  progress: Progress[];
  success: boolean | null;
}

export class GradioClientError extends Error {}
export class GradioError extends GradioClientError {
  readonly title: string | null;
  constructor(message: string, title?: string | null);
}
export class HTTPStatusError extends GradioClientError {
  readonly status: number;
  constructor(status: number, message: string);
}
export class AuthenticationError extends HTTPStatusError {}
/** 503 "Queue is full": the app's queue (`queue(max_size=...)`) stayed full through the retries. */
export class QueueFullError extends HTTPStatusError {}
/** 422: the app's validator rejected these inputs (by the app's own names) before running. */
export class ValidationError extends HTTPStatusError {
  readonly errors: Readonly<Record<string, string>>;
  constructor(errors: Record<string, string>);
}
export class GradioConnectionError extends GradioClientError {}
export class GradioTimeoutError extends GradioClientError {}
export class JobCancelledError extends GradioClientError {}
/** The server answered what Gradio never sends: not JSON, no event id, a wrong shape. */
export class ProtocolError extends GradioClientError {}
/** The server sent more than a limit allows: a message, a file, buffered messages. */
export class LimitExceededError extends ProtocolError {}

/** What the runtime knows of one endpoint; written by the generator. */
export interface EndpointSpec {
  readonly apiName: string;
  /** Input names in wire order. */
  readonly inputs: readonly string[];
  readonly defaults: Readonly<Record<string, JsonValue>>;
  /** Wire positions of the returned outputs; null: read from /config on first use. */
  readonly outputs: readonly number[] | null;
  readonly files: readonly JsonValue[];
  readonly fnIndex: number | null;
  /** Wire positions of hidden (State) inputs, sent as null; null: read from /config. */
  readonly stateInputs: readonly number[] | null;
}

export type Unpack<T> = (data: JsonValue[]) => T;
export function first<T>(data: JsonValue[]): T;
export function asTuple<T>(data: JsonValue[]): T;
export function nothing(data: JsonValue[]): void;
export function visibleOutputs(config: JsonValue, apiName: string, index?: number | null): number[] | null;
export function stateInputs(config: JsonValue, apiName: string, index?: number | null): number[] | null;
/** A Hugging Face host: `*.hf.space`, huggingface.co, or the host of HF_ENDPOINT. */
export function isHfHost(url: string): boolean;
/** The token an app at `url` gets (see ClientOptions.token). */
export function appToken(url: string, token: string | null | undefined, sendEnvToken?: boolean): string | null;
/** The token `hf auth login` saved (Node 20.16+), else undefined. */
export function savedToken(): string | undefined;

export class Job<T> implements AsyncIterable<T> {
  readonly eventId: string;
  status(): Status;
  done(): boolean;
  /** What the app showed so far (gr.Info, gr.Warning, gr.Success), in order. */
  readonly messages: AppMessage[];
  /** The intermediate outputs received so far (generator endpoints). */
  outputs(): T[];
  /** The final output; rejects with the app's GradioError, a timeout or a cancellation. */
  result(): Promise<T>;
  /** Each output as it arrives; for a plain function, just its result. */
  [Symbol.asyncIterator](): AsyncIterator<T>;
  /** Asks the server to stop the job; false if it had already finished. */
  cancel(): Promise<boolean>;
}

export class Runtime {
  readonly baseUrl: string;
  constructor(
    options: ClientOptions | undefined,
    defaults: { baseUrl: string; apiPrefix: string; protocol: "queue" | "oneshot" },
  );
  /** The app keeps this client's gr.State under this id. */
  get sessionHash(): string;
  /** Starts a new session: the app forgets this client's gr.State. */
  resetSession(): void;
  /** Fetches a file the app returned (a FileData or a URL) as a Blob. */
  download(file: FileData | string, dest?: undefined | null, options?: DownloadOptions): Promise<Blob>;
  /**
   * Under Node, streams it to disk: into a fresh subfolder of the folder `dest` (under its
   * own name, cleaned), or to the path `dest` (replaced only with `overwrite`). Resolves to
   * the file's path; a failed download leaves nothing behind.
   */
  download(file: FileData | string, dest: string, options?: DownloadOptions): Promise<string>;
  /**
   * Ends the client: pending jobs fail, its stream and requests stop, later calls reject, and
   * the session ends (its heartbeat closes): the app runs `demo.unload` and frees its gr.State.
   */
  close(): void;
  /** `await using client = new Client()` closes it when the block ends. */
  [Symbol.asyncDispose](): Promise<void>;
  protected _call<T>(
    spec: EndpointSpec,
    inputs: object | undefined,
    unpack: Unpack<T>,
    options?: CallOptions,
  ): Promise<T>;
  protected _submit<T>(
    spec: EndpointSpec,
    inputs: object | undefined,
    unpack: Unpack<T>,
    options?: CallOptions,
  ): Promise<Job<T>>;
  /** `call()`'s lookup: the spec and unpacker of the endpoint named `apiName`. */
  protected _endpoint(
    endpoints: ReadonlyMap<string, readonly [EndpointSpec, Unpack<unknown>]>,
    apiName: string,
  ): readonly [EndpointSpec, Unpack<unknown>];
}
