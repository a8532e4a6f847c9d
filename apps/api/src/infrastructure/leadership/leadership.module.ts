import { Global, Logger, Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../configuration/app-config.js';
import { LOCAL_VANTAGE_ID } from '../configuration/local-vantage.js';
import { createLeadershipLock } from './create-leadership-lock.js';
import { SchedulerLeadership } from './scheduler-leadership.js';

/** One scheduler per vantage among the replicas sharing the database; it re-checks every probe interval. */
function schedulerLeadership(config: AppConfig): SchedulerLeadership {
  const logger = new Logger(SchedulerLeadership.name);
  const lock = createLeadershipLock(config.databaseUrl, LOCAL_VANTAGE_ID, { warn: (message) => logger.warn(message) });
  return new SchedulerLeadership(lock, config.probeIntervalSeconds * 1000);
}

/** Which replica runs the schedulers (probes, rollups); the others follow. */
@Global()
@Module({
  providers: [{ provide: SchedulerLeadership, useFactory: schedulerLeadership, inject: [APP_CONFIG] }],
  exports: [SchedulerLeadership],
})
export class LeadershipModule {}
