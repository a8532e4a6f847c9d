import type { MirrorStatus } from '@mirrorwatch/domain';

/** Icons differ in shape, not only colour, so status reads in grayscale and for colour-blind users. */
const STATUS_ICON: Record<MirrorStatus, string> = { up: '✓', degraded: '!', down: '✕', unknown: '?' };

export function StatusBadge({ status, label }: { status: MirrorStatus; label: string }) {
  return (
    <span className={`badge badge-${status}`}>
      <span className="badge-icon" aria-hidden="true">
        {STATUS_ICON[status]}
      </span>
      {label}
    </span>
  );
}
