import type { MirrorSummaryDto } from '@mirrorwatch/api-types';
import type { Visibility } from '@mirrorwatch/domain';

/** A mirror as the admin sees it: private and disabled ones included, with its current standing. */
export interface AdminMirrorDto {
  id: string;
  name: string;
  url: string;
  provider: string | null;
  notes: string | null;
  visibility: Visibility;
  enabled: boolean;
  source: 'catalog' | 'admin';
  createdAt: string;
  updatedAt: string;
  status: MirrorSummaryDto['status'];
  failureClass: MirrorSummaryDto['failureClass'];
  lastProbeAt: string | null;
  latencyMs: number | null;
  rank: number | null;
  eligible: boolean;
}
