import { Injectable } from '@nestjs/common';

/**
 * Announces "an agent's results were stored" to whoever builds views on them
 * (the per-vantage views), so ingestion never calls up into delivery.
 */
@Injectable()
export class AgentResultsFeed {
  private readonly listeners: ((vantageId: string) => void)[] = [];

  subscribe(listener: (vantageId: string) => void): void {
    this.listeners.push(listener);
  }

  announce(vantageId: string): void {
    for (const listener of this.listeners) listener(vantageId);
  }
}
