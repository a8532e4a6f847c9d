import { findContainerd, type ContainerdBinaries } from '../clients/containerd.js';
import { findExecutable } from '../clients/bounded-process.js';
import { requirement, type RequirementDecision } from './test-requirements.js';

/** skopeo for the client checks: its path, or a skip requested with MIRRORWATCH_SKIP=skopeo; missing otherwise fails. */
export function skopeoForTests(): RequirementDecision & { path: string | null } {
  const path = findExecutable('skopeo');
  const decision = requirement({ name: 'skopeo', missing: path ? null : 'skopeo is not on PATH', install: 'apt-get install -y skopeo' });
  return { ...decision, path: decision.skip ? null : path };
}

/** containerd and ctr for the client checks: found, or skipped with MIRRORWATCH_SKIP=containerd; missing otherwise fails. */
export function containerdForTests(): RequirementDecision & { binaries: ContainerdBinaries | null } {
  const binaries = findContainerd();
  const decision = requirement({
    name: 'containerd',
    missing: binaries ? null : 'containerd and ctr are not on PATH',
    install: 'apt-get install -y containerd',
  });
  return { ...decision, binaries: decision.skip ? null : binaries };
}
