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

/** Shared with the browser tests: libs/lab's test support. */
export { waitFor } from '@mirrorwatch/lab';
