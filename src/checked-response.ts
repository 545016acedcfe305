// The Response this package hands out: never the platform's own (whose headers and status text a
// server may fill with anything), but one with the status, the scrubbed status text and headers,
// the scrubbed body, and what the transport learned: the attempts, the request id and, for a 2xx
// JSON body, the value it parsed once, which `json()` hands over instead of parsing again.
//
// Built on a Response without a body of its own, its body methods answering from the text kept
// here: a body stream per page costs half of what the client adds to a request (measured with
// callgrind: ~240,000 instructions of ~590,000), and a page's text is read at most once anyway.

/**
 * The Response this package hands out: status, status text, headers and body scrubbed of the key,
 * with the attempts it took and its request id.
 */
export type CheckedResponse = Response & {
  /** Attempts made, 1 + retries. */
  readonly attempts: number;
  /** The `x-request-id` header, scrubbed. */
  readonly requestId: string | undefined;
};

/** What a CheckedResponse is made of, all of it already scrubbed. */
export interface CheckedParts {
  readonly status: number;
  readonly statusText: string;
  readonly headers: Headers;
  /** The body's text; `null` for a status without a body. */
  readonly text: string | null;
  /** The parsed 2xx JSON body, or `undefined`. */
  readonly parsed: unknown;
  readonly attempts: number;
  readonly requestId: string | undefined;
}

/** The checked responses' class, made once per caller, on first use. */
type CheckedClass = new (parts: CheckedParts) => CheckedResponse;

/** Where a CheckedResponse keeps what it is made of (not shown in logs: a symbol). */
const PARTS = Symbol('checked parts');

/**
 * Makes CheckedResponses: returns `check(parts)`. The class is defined on the first call, not at
 * import: extending Response reads the global, which in Node loads the whole HTTP stack.
 *
 * @example
 * ```ts
 * const check = checkedResponses();
 * const response = check({ status: 200, statusText: '', headers, text, parsed, attempts: 1, requestId });
 * ```
 */
export function checkedResponses(): (parts: CheckedParts) => CheckedResponse {
  let Checked: CheckedClass | undefined;
  return (parts) => new (Checked ??= defineChecked())(parts);
}

/** Whether `response` is a CheckedResponse (read, scrubbed and parsed by a transport). */
export function isChecked(response: Response): response is CheckedResponse {
  return PARTS in response;
}

/** The parsed 2xx body of a CheckedResponse, until `json()` has handed it over. */
export function parsedBody(response: CheckedResponse): unknown {
  return (response as unknown as { [PARTS]: { parsed: unknown } })[PARTS].parsed;
}

function defineChecked(): CheckedClass {
  // Typed loosely: the class answers for the body and headers the platform's declares as fields.
  const Base = globalThis.Response as unknown as new (
    body: null,
    init: ResponseInit,
  ) => {
    readonly status: number;
    readonly statusText: string;
  };
  class Checked extends Base {
    declare readonly attempts: number;
    declare readonly requestId: string | undefined;
    declare readonly [PARTS]: Omit<CheckedParts, 'parsed'> & { parsed: unknown };
    declare private used: boolean;
    declare private stream: ReadableStream<Uint8Array> | null | undefined;

    constructor(parts: CheckedParts) {
      super(null, { status: parts.status, statusText: parts.statusText });
      Object.defineProperties(this, {
        attempts: { value: parts.attempts, enumerable: true },
        requestId: { value: parts.requestId, enumerable: true },
        // A copy: the parsed body is let go of once handed over (a page's items hang off the page
        // only), and a clone is made of the same parts.
        [PARTS]: { value: { ...parts } },
        used: { value: false, writable: true },
        stream: { value: undefined, writable: true },
      });
    }

    get headers(): Headers {
      return this[PARTS].headers;
    }

    get body(): ReadableStream<Uint8Array> | null {
      const { text } = this[PARTS];
      if (this.stream === undefined)
        this.stream = text === null ? null : new globalThis.Response(text).body;
      return this.stream;
    }

    get bodyUsed(): boolean {
      return this.used || (this.stream?.locked ?? false);
    }

    /** The body's text, once, as a Response reads its body once. */
    private take(): string {
      if (this.bodyUsed) throw new TypeError('Body has already been used');
      this.used = true;
      return this[PARTS].text ?? '';
    }

    async text(): Promise<string> {
      return this.take();
    }

    async json(): Promise<any> {
      const parts = this[PARTS];
      // The transport's parsed value, handed over once without using the body (openapi-fetch asks
      // for it; the body stays readable for whoever holds the response).
      if (parts.parsed !== undefined) {
        const value = parts.parsed;
        parts.parsed = undefined;
        return value;
      }
      return JSON.parse(this.take());
    }

    // Every body method is answered here: the platform's would read the body this Response was
    // built without, and answer with nothing.
    async bytes(): Promise<Uint8Array> {
      return new TextEncoder().encode(this.take());
    }

    async arrayBuffer(): Promise<ArrayBuffer> {
      return (await this.bytes()).buffer as ArrayBuffer;
    }

    async blob(): Promise<Blob> {
      return new Blob([this.take()], { type: this.headers.get('content-type') ?? '' });
    }

    async formData(): Promise<FormData> {
      return new globalThis.Response(this.take(), { headers: this.headers }).formData();
    }

    clone(): Checked {
      if (this.bodyUsed) throw new TypeError('Body has already been used');
      const parts = this[PARTS];
      return new Checked({ ...parts, headers: new Headers(parts.headers), parsed: undefined });
    }
  }
  return Checked as unknown as CheckedClass;
}
