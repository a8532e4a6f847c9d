import type { PrismaClient } from './prisma-client.factory.js';

/**
 * What an interactive transaction's callback receives (Prisma's
 * TransactionClient): the model API without the connection-level methods.
 * Repositories take one of these where their writes must join a caller's
 * transaction.
 */
export type TransactionClient = Omit<PrismaClient, '$connect' | '$disconnect' | '$on' | '$transaction' | '$extends'>;
