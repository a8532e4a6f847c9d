// Prisma CLI configuration for sqlite: offline WASM engines through a JS driver adapter.
// Use: npx prisma <command> --config prisma/sqlite/prisma.config.ts (see prisma/README.md).
import { cliConfig } from '../cli-config';

export default cliConfig('sqlite');
