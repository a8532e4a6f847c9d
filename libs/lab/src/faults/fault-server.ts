/** Anything the lab starts that has a URL and must be stopped. */
export interface FaultServerHandle {
  name: string;
  /** Base URL a mirror list would carry, e.g. `http://127.0.0.1:40123`. */
  url: string;
  /** `127.0.0.1:PORT`. */
  host: string;
  port: number;
  stop(): Promise<void>;
}

export function loopbackHandle(
  name: string,
  port: number,
  stop: () => Promise<void>,
  scheme: 'http' | 'https' = 'http',
): FaultServerHandle {
  return { name, url: `${scheme}://127.0.0.1:${port}`, host: `127.0.0.1:${port}`, port, stop };
}
