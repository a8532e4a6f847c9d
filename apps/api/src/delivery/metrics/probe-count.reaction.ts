import { Injectable } from '@nestjs/common';
import { MetricsService } from '#infrastructure/observability/metrics.service.js';
import { MirrorStateEvents } from '#probing/state/mirror-state-events.js';

/** Counts every recorded probe in `mirrorwatch_probes_total` (in memory, returns at once). */
@Injectable()
export class ProbeCountReaction {
  constructor(events: MirrorStateEvents, metrics: MetricsService) {
    events.onStateRecorded(({ mirror, vantageId, result }) => metrics.observeProbe(mirror, vantageId, result));
  }
}
