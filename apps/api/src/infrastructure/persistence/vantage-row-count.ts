import { sqlTagsOf, type PrismaClient } from './prisma-client.factory.js';

/**
 * How many rows of `table` one vantage has: the check of a copy kept in memory
 * against its table, after every cycle. Raw SQL, as the cycle's other
 * statements: the model API's count went through Prisma's query compiler each
 * time (issue 10). CAST, so both drivers answer a number (PostgreSQL's COUNT is a bigint).
 */
export async function countVantageRows(client: PrismaClient, table: 'CoverageCheck' | 'MirrorVerdict', vantageId: string): Promise<number> {
  const { sql, raw } = sqlTagsOf(client);
  const [row] = await client.$queryRaw<{ rows: number | bigint }[]>(
    sql`SELECT CAST(COUNT(*) AS INTEGER) AS "rows" FROM ${raw(`"${table}"`)} WHERE "vantageId" = ${vantageId}`,
  );
  return Number(row?.rows ?? 0);
}
