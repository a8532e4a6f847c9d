import { EXTRA_VARIANTS, isExtraVariant, type ExtraVariant } from './assembly/lab-mirror.js';

export interface CliArgs {
  /** Also run the product against the lab catalog. */
  start: boolean;
  port: number;
  catalogPath: string;
  extras: ExtraVariant[];
  help: boolean;
}

export const CLI_USAGE = `usage: npm run lab -- [--start] [--port N] [--extras all|name,name] [--catalog PATH]
  --start     also run the product (node apps/api/dist/main.js) against the lab catalog
  --port      PORT for the product (default 3000)
  --extras    extra mirrors: all, or a comma list of ${EXTRA_VARIANTS.join(', ')}
  --catalog   where to write the catalog (default tmp/lab/catalog.yaml)`;

export function parseCliArgs(argv: readonly string[]): CliArgs {
  const args: CliArgs = { start: false, port: 3000, catalogPath: 'tmp/lab/catalog.yaml', extras: [], help: false };
  for (let i = 0; i < argv.length; i += 1) {
    const [flag, inline] = (argv[i] ?? '').split('=', 2) as [string, string | undefined];
    const value = (): string => {
      const next = inline ?? argv[++i];
      if (next === undefined) throw new Error(`${flag} needs a value`);
      return next;
    };
    switch (flag) {
      case '--start':
        args.start = true;
        break;
      case '--port': {
        const port = Number(value());
        if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new Error('--port must be an integer 1-65535');
        args.port = port;
        break;
      }
      case '--catalog':
        args.catalogPath = value();
        break;
      case '--extras': {
        const list = value();
        args.extras = list === 'all' ? [...EXTRA_VARIANTS] : list.split(',').filter(Boolean).map(checkExtra);
        break;
      }
      case '--help':
      case '-h':
        args.help = true;
        break;
      default:
        throw new Error(`unknown argument ${flag}`);
    }
  }
  return args;
}

function checkExtra(name: string): ExtraVariant {
  if (!isExtraVariant(name)) throw new Error(`unknown extra mirror ${name}; known: ${EXTRA_VARIANTS.join(', ')}`);
  return name;
}
