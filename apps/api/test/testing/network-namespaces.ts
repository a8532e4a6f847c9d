import { execFileSync } from 'node:child_process';

/**
 * Network namespaces joined to the test's own (root) namespace by veth
 * pairs, with their networks shaped by iptables inside the namespace
 * (nothing of the host's rules changes). Only the 10.231.0.0/16 addresses
 * created here are used; the whole block must be unused on the host.
 */
export const SERVICE_ADDRESS = '10.231.250.1';
const BLOCK = '10.231.';

export interface Vantage {
  namespace: string;
  /** How this namespace's network was shaped, for the test's log. */
  shaping: string;
}

export class NetworkNamespaces {
  private readonly created: { namespace: string; hostLink: string }[] = [];
  private serviceAddressLink: string | null = null;

  private constructor(private readonly suffix: string) {}

  /**
   * Fails with the reason when the machine cannot run the test (not root, no
   * `ip`/`iptables`, namespaces refused, the address block in use):
   * never a silent skip.
   */
  static open(): NetworkNamespaces {
    if (process.getuid?.() !== 0) throw new Error('network namespace tests need root (ip netns add); CI runs as root');
    for (const tool of ['ip', 'iptables']) {
      try {
        execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'pipe' });
      } catch {
        throw new Error(`network namespace tests need "${tool}" (apt-get install -y iproute2 iptables)`);
      }
    }
    const addresses = execFileSync('ip', ['-4', '-o', 'addr', 'show'], { encoding: 'utf8' });
    if (addresses.includes(` ${BLOCK}`)) throw new Error(`${BLOCK}0.0/16 is already in use on this host; the namespace test needs it free`);
    return new NetworkNamespaces(String(process.pid % 100_000));
  }

  /** Adds namespace `index` (1..200) with a veth pair 10.231.index.1 (host) / .2 (namespace) and a default route to the host. */
  add(index: number): string {
    const namespace = `mw${this.suffix}n${index}`;
    const hostLink = `mw${this.suffix}h${index}`;
    const nsLink = `mw${this.suffix}v${index}`;
    run('ip', 'netns', 'add', namespace);
    this.created.push({ namespace, hostLink });
    run('ip', 'link', 'add', hostLink, 'type', 'veth', 'peer', 'name', nsLink);
    run('ip', 'link', 'set', nsLink, 'netns', namespace);
    run('ip', 'addr', 'add', `${BLOCK}${index}.1/30`, 'dev', hostLink);
    run('ip', 'link', 'set', hostLink, 'up');
    if (this.serviceAddressLink === null) {
      // One address every namespace reaches the services at: on the first host-side link, so it goes with it.
      run('ip', 'addr', 'add', `${SERVICE_ADDRESS}/32`, 'dev', hostLink);
      this.serviceAddressLink = hostLink;
    }
    inNamespace(namespace, 'ip', 'link', 'set', 'lo', 'up');
    inNamespace(namespace, 'ip', 'addr', 'add', `${BLOCK}${index}.2/30`, 'dev', nsLink);
    inNamespace(namespace, 'ip', 'link', 'set', nsLink, 'up');
    inNamespace(namespace, 'ip', 'route', 'add', 'default', 'via', `${BLOCK}${index}.1`);
    return namespace;
  }

  /** Drops every packet the namespace sends to `port` on the service address: that mirror's port is blocked from there. */
  dropPort(namespace: string, port: number): string {
    inNamespace(namespace, 'iptables', '-A', 'OUTPUT', '-d', SERVICE_ADDRESS, '-p', 'tcp', '--dport', String(port), '-j', 'DROP');
    return `iptables DROP of tcp ${SERVICE_ADDRESS}:${port}`;
  }

  /**
   * Sends the namespace's traffic for `port` on the service address to
   * `relayPort` there instead (iptables nat OUTPUT DNAT inside the namespace):
   * a delaying relay (delay-relay.ts) then sits on that path only. This is
   * how the test gets a 200 ms path without netem: the kernel it runs on has
   * no sch_netem (see docs/benchmarks/vantage-agents.md).
   */
  routeVia(namespace: string, port: number, relayPort: number): string {
    inNamespace(
      namespace,
      ...['iptables', '-t', 'nat', '-A', 'OUTPUT', '-d', SERVICE_ADDRESS, '-p', 'tcp', '--dport', String(port)],
      ...['-j', 'DNAT', '--to-destination', `${SERVICE_ADDRESS}:${relayPort}`],
    );
    return `iptables DNAT of tcp ${SERVICE_ADDRESS}:${port} to ${SERVICE_ADDRESS}:${relayPort}`;
  }

  /**
   * Drops `percent` % of the packets the namespace sends to `port` on the
   * service address (after DNAT: the relay's port), at random, as netem loss
   * would on that path.
   */
  lossy(namespace: string, percent: number, port: number): string {
    inNamespace(
      namespace,
      ...['iptables', '-A', 'OUTPUT', '-d', SERVICE_ADDRESS, '-p', 'tcp', '--dport', String(port)],
      ...['-m', 'statistic', '--mode', 'random', '--probability', String(percent / 100), '-j', 'DROP'],
    );
    return `iptables statistic ${percent}% random DROP of tcp ${SERVICE_ADDRESS}:${port}`;
  }

  /** Deletes every namespace and host-side link created (deleting either end of a veth pair deletes both). */
  close(): void {
    for (const { namespace, hostLink } of this.created.splice(0)) {
      tryRun('ip', 'netns', 'del', namespace);
      tryRun('ip', 'link', 'del', hostLink);
    }
  }
}

function run(command: string, ...args: string[]): void {
  try {
    execFileSync(command, args, { stdio: 'pipe' });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    throw new Error(`${command} ${args.join(' ')} failed: ${stderr || String(error)}`);
  }
}

function tryRun(command: string, ...args: string[]): void {
  try {
    execFileSync(command, args, { stdio: 'pipe' });
  } catch {
    // Already gone.
  }
}

function inNamespace(namespace: string, ...command: string[]): void {
  run('ip', 'netns', 'exec', namespace, ...command);
}
