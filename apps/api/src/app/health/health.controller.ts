import { Controller, Get, Inject, ServiceUnavailableException } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../services/configuration/app-config.js';
import { PrismaService } from '../../services/persistence/prisma.service.js';
import { ProbeSchedulerService, type SchedulerHealth } from '../probing/probe-scheduler.service.js';

interface ReadinessDto {
  status: 'ready';
  database: 'reachable';
  scheduler: SchedulerHealth;
}

/** Liveness says the process answers; readiness that its database and scheduler work. */
@Controller('health')
export class HealthController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly prisma: PrismaService,
    private readonly scheduler: ProbeSchedulerService,
  ) {}

  @Get('live')
  live(): { status: 'alive' } {
    return { status: 'alive' };
  }

  @Get('ready')
  async ready(): Promise<ReadinessDto> {
    try {
      await this.prisma.ping();
    } catch {
      throw new ServiceUnavailableException('database unreachable');
    }
    const scheduler = this.scheduler.snapshotHealth();
    // A scheduler that has not started a cycle for three intervals is stuck.
    const stuckAfterMs = this.config.probeIntervalSeconds * 3000;
    const lastStart = scheduler.light.lastCycleStartedAt?.getTime() ?? null;
    if (lastStart === null || Date.now() - lastStart > stuckAfterMs) {
      throw new ServiceUnavailableException('probe scheduler has not run recently');
    }
    return { status: 'ready', database: 'reachable', scheduler };
  }
}
