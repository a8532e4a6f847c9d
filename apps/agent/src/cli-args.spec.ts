import { describe, expect, it } from 'vitest';
import { CliError, parseAgentArgs } from './cli-args.js';

describe('parseAgentArgs', () => {
  it('reads the server and token, with defaults for the rest', () => {
    expect(parseAgentArgs(['--server', 'http://10.0.0.1:3000/', '--token', 'mwa_x'], {})).toEqual({
      server: 'http://10.0.0.1:3000',
      token: 'mwa_x',
      spoolPath: 'mirrorwatch-agent.spool',
      spoolMaxResults: 10_000,
      logLevel: 'info',
    });
  });

  it('takes the token from the environment', () => {
    expect(parseAgentArgs(['--server=https://mw.example'], { MIRRORWATCH_AGENT_TOKEN: 'mwa_env' }).token).toBe('mwa_env');
  });

  it.each([
    [['--token', 't'], '--server'],
    [['--server', 'ftp://x', '--token', 't'], '--server'],
    [['--server', 'http://x/api', '--token', 't'], '--server'],
    [['--server', 'http://x'], '--token'],
    [['--server', 'http://x', '--token', 't', '--spool-max-results', '5'], '--spool-max-results'],
    [['--server', 'http://x', '--token', 't', '--bogus', '1'], '--bogus'],
  ])('%j is refused naming %s', (argv, option) => {
    expect(() => parseAgentArgs(argv, {})).toThrow(CliError);
    try {
      parseAgentArgs(argv, {});
    } catch (error) {
      expect((error as CliError).option).toBe(option);
    }
  });
});
