import type { MirrorSummaryDto } from '@mirrorwatch/api-types';
import type { RunningProduct } from '@mirrorwatch/lab';

/** What a replica's readiness says about its role. */
export interface Readiness {
  status: number;
  leader: boolean | null;
}

export async function readiness(product: RunningProduct): Promise<Readiness> {
  const response = await fetch(`${product.origin}/api/health/ready`);
  const body = (await response.json()) as { leader?: boolean };
  return { status: response.status, leader: body.leader ?? null };
}

export async function mirrors(product: RunningProduct): Promise<MirrorSummaryDto[]> {
  return (await (await fetch(`${product.origin}/api/mirrors`)).json()) as MirrorSummaryDto[];
}

export async function mirrorDetail(product: RunningProduct, id: string): Promise<MirrorSummaryDto> {
  return (await (await fetch(`${product.origin}/api/mirrors/${id}`)).json()) as MirrorSummaryDto;
}

/** Polls `read` every 250 ms until `done` holds; throws with the last value after `timeoutMs`. */
export async function waitFor<T>(what: string, timeoutMs: number, read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = await read();
  while (!done(last)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
    last = await read();
  }
  return last;
}
