import type { Reporter } from 'vitest/reporters';

interface TaskLike {
  type: string;
  mode?: string;
  result?: { state?: string };
  tasks?: TaskLike[];
}

/** Prints one plain closing line — "N passed, N failed, N skipped" — that any CI log reader understands. */
export default class SummaryReporter implements Reporter {
  onFinished(files: TaskLike[] = [], errors: unknown[] = []): void {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    const visit = (task: TaskLike) => {
      if (task.tasks) task.tasks.forEach(visit);
      if (task.type !== 'test') return;
      if (task.result?.state === 'pass') counts.passed += 1;
      else if (task.result?.state === 'fail') counts.failed += 1;
      else counts.skipped += 1;
    };
    files.forEach(visit);
    // A file that failed to load has no tests but must count as a failure.
    const brokenFiles = files.filter((f) => f.result?.state === 'fail' && !(f.tasks ?? []).length).length;
    counts.failed += brokenFiles + errors.length;
    process.stdout.write(`\ntests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped\n`);
  }
}
