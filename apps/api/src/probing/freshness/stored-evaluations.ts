import {
  decodeMirrorVerdictFacts,
  encodeMirrorVerdictFacts,
  MIRROR_VERDICT_FACTS_VERSION,
  type MirrorVerdictFacts,
} from '#infrastructure/persistence/mirror-verdict-facts.js';
import type { StoredEvaluation, StoredReference } from '#infrastructure/persistence/verdict.repository.js';
import { byCodeUnits } from '@mirrorwatch/domain';

/** One cycle's evaluation as VerdictRepository.saveAll takes it. */
export interface EvaluationToStore {
  references: readonly { image: string; reference: StoredReference | null }[];
  verdicts: ReadonlyMap<string, MirrorVerdictFacts>;
}

/**
 * What the database holds of the local vantage's freshness evaluations, as
 * the scheduler's replica knows it in its term (it is their only writer for
 * the local vantage then, as for its probes): seeded from the database when
 * the term begins, followed by every write. The scheduler then skips a write
 * that would store what is already stored (issue 10: a light cycle changes
 * no verdict most of the time, and the write was a transaction of several
 * statements), and its ranking reads the evaluations from here instead of
 * the database. `evaluatedAt` is when the stored evaluation last changed:
 * nothing reads it beyond the repository.
 */
export class StoredEvaluations {
  /** By probe image key, exactly what VerdictRepository.loadAll would answer; null outside a term. */
  private stored: Map<string, StoredEvaluation> | null = null;
  /** The last evaluation written in this term; null until the first one (that one is always written). */
  private lastWritten: string | null = null;
  /** Verdict rows that write left in the database (a mirror deleted since, anywhere, leaves fewer). */
  private rowsWritten = 0;

  /** A new term: the database's evaluations, read once. */
  seed(loaded: Map<string, StoredEvaluation>): void {
    this.stored = new Map(loaded);
    this.lastWritten = null;
  }

  /** The term ended: another replica may write from now on. */
  forget(): void {
    this.stored = null;
    this.lastWritten = null;
  }

  /**
   * A mirror was deleted: its verdict row went with it (cascade). The next
   * evaluation is written whatever it holds, so a mirror created again under
   * the same id gets its row back.
   */
  forgetMirror(mirrorId: string): void {
    if (this.stored === null) return;
    for (const [image, evaluation] of this.stored) {
      if (!evaluation.verdicts.has(mirrorId)) continue;
      const verdicts = new Map(evaluation.verdicts);
      verdicts.delete(mirrorId);
      this.stored.set(image, { ...evaluation, verdicts });
    }
    this.lastWritten = null;
  }

  /** The stored evaluations by image key, or null when only the database knows them. */
  current(): ReadonlyMap<string, StoredEvaluation> | null {
    return this.stored;
  }

  /**
   * Whether storing `evaluation` would leave the database as it is (apart from `evaluatedAt`): it is the
   * last one written, and the database still holds `verdictRows` (its count of the vantage's verdict rows).
   */
  async alreadyStored(evaluation: EvaluationToStore, verdictRows: () => Promise<number>): Promise<boolean> {
    if (this.stored === null || this.lastWritten === null || this.lastWritten !== fingerprint(evaluation)) return false;
    const expected = this.rowsWritten;
    return (await verdictRows()) === expected;
  }

  /**
   * After a committed write: `written` is the mirror ids whose verdict rows
   * were stored (mirrors deleted meanwhile are dropped by the repository).
   * Verdict rows are per vantage, so every image's evaluation now has them.
   */
  wrote(evaluation: EvaluationToStore, written: ReadonlySet<string>, evaluatedAt: Date): void {
    if (this.stored === null) return;
    // Through the stored encoding, so memory answers what a read of the rows would (dates included),
    // in the read's order (by mirror id).
    const verdicts = new Map<string, MirrorVerdictFacts>();
    for (const [mirrorId, facts] of [...evaluation.verdicts].sort(([a], [b]) => byCodeUnits(a, b))) {
      if (!written.has(mirrorId)) continue;
      const decoded = decodeMirrorVerdictFacts(MIRROR_VERDICT_FACTS_VERSION, encodeMirrorVerdictFacts(facts));
      if (decoded) verdicts.set(mirrorId, decoded);
    }
    for (const [image, previous] of this.stored) this.stored.set(image, { ...previous, verdicts });
    for (const { image, reference } of evaluation.references) this.stored.set(image, { reference, verdicts, evaluatedAt });
    this.lastWritten = fingerprint(evaluation);
    this.rowsWritten = written.size;
  }
}

function fingerprint({ references, verdicts }: EvaluationToStore): string {
  const referenceKeys = references.map(({ image, reference }) =>
    [image, reference?.digest ?? '', reference?.source ?? '', reference?.firstSeenAt?.toISOString() ?? ''].join(' '),
  );
  const verdictKeys = [...verdicts].map(([mirrorId, facts]) => `${mirrorId} ${encodeMirrorVerdictFacts(facts)}`);
  return JSON.stringify([referenceKeys.sort(), verdictKeys.sort()]);
}
