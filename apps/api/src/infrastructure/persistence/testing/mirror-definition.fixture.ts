import type { MirrorDefinition } from '@mirrorwatch/domain';

/** A public catalog mirror named after its id, for repository and reader tests that only need rows to hang probes on. */
export function testMirror(id: string): MirrorDefinition {
  return { id, name: id, url: `https://${id}.example.test`, provider: null, notes: null, visibility: 'public', caPath: null };
}
