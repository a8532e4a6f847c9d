/** Prisma's documented error codes, matched structurally so no runtime class import is needed. */
const UNIQUE_CONSTRAINT_FAILED = 'P2002';
const RECORD_NOT_FOUND = 'P2025';

function codeOf(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : undefined;
}

export function isUniqueViolation(error: unknown): boolean {
  return codeOf(error) === UNIQUE_CONSTRAINT_FAILED;
}

export function isRecordNotFound(error: unknown): boolean {
  return codeOf(error) === RECORD_NOT_FOUND;
}
