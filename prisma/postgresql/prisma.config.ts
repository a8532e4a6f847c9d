// Prisma CLI configuration for postgresql: offline WASM engines through a JS driver adapter.
// Use: npx prisma <command> --config prisma/postgresql/prisma.config.ts (see prisma/README.md).
import { cliConfig } from '../cli-config';

export default cliConfig('postgresql');
