import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { reserveDeadPort } from './dead-port.js';
import { startHangServer } from './hang-server.js';

function connectOutcome(port: number, waitMs: number): Promise<'refused' | 'connected-silent' | 'data' | 'other'> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED' ? 'refused' : 'other'));
    socket.once('data', () => {
      socket.destroy();
      resolve('data');
    });
    socket.once('connect', () => {
      socket.write('GET /v2/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
      setTimeout(() => {
        socket.destroy();
        resolve('connected-silent');
      }, waitMs);
    });
  });
}

describe('dead port', () => {
  it('refuses connections and lies below the kernel ephemeral range, so port-0 listeners never get it', async () => {
    const dead = await reserveDeadPort();
    const ephemeralLow = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    expect(dead.port).toBeLessThan(ephemeralLow);
    expect(await connectOutcome(dead.port, 200)).toBe('refused');
    await dead.stop();
  });

  it('never hands the same port to two reservations of one process until the first is stopped', async () => {
    // The first two draws name the same port: the second reservation must skip the one the first holds.
    const draws = [0.5, 0.5, 0.75, 0.5];
    const random = vi.spyOn(Math, 'random').mockImplementation(() => draws.shift() ?? 0.25);
    try {
      const first = await reserveDeadPort('a');
      const second = await reserveDeadPort('b');
      expect(second.port).not.toBe(first.port);
      await first.stop();
      const third = await reserveDeadPort('c');
      expect(third.port).toBe(first.port);
      await Promise.all([second.stop(), third.stop()]);
    } finally {
      random.mockRestore();
    }
  });
});

describe('hang server', () => {
  it('accepts the connection and answers nothing, and stop() ends open connections', async () => {
    const hang = await startHangServer();
    expect(await connectOutcome(hang.port, 300)).toBe('connected-silent');
    const socket = connect(hang.port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    const closed = new Promise((resolve) => socket.once('close', resolve));
    await hang.stop();
    await closed;
    expect(await connectOutcome(hang.port, 200)).toBe('refused');
  });
});
