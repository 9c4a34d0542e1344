/**
 * Where a CLI call's time goes, printed on stderr at its end when CLUSTERLAB_TIMINGS is set (the CLI bench
 * reads it): each phase is the time since the one before it, from the process's start; a note is a figure
 * beside the phases (the sandbox process's start, fork to ready, which runs beside loading the engine and
 * the type check; and the moments it was forked and ready, in ms since the call's start); a count is a
 * number that is not a time (how many sandbox processes took runs). Off, it records nothing.
 */
const enabled = Boolean(process.env.CLUSTERLAB_TIMINGS);

export interface PhaseReport {
  /** [name, ms] in order; their sum is the time from the process's start to the last mark. */
  phases: Array<[string, number]>;
  /** [name, ms] of work that overlapped the phases. */
  notes: Array<[string, number]>;
  /** [name, how many]: figures that are not times. */
  counts: Array<[string, number]>;
}

/** The line's prefix, for a reader to find it among other stderr output. */
export const PHASES_PREFIX = "clusterlab timings: ";

function createPhases() {
  let last = 0;
  const report: PhaseReport = { phases: [], notes: [], counts: [] };
  return {
    /** Ends the phase `name` now (or at `atMs`, a performance.now() value). */
    mark(name: string, atMs = performance.now()): void {
      if (!enabled) return;
      report.phases.push([name, Math.round((atMs - last) * 10) / 10]);
      last = atMs;
    },
    note(name: string, ms: number | undefined): void {
      if (enabled && ms !== undefined) report.notes.push([name, Math.round(ms * 10) / 10]);
    },
    count(name: string, value: number): void {
      if (enabled) report.counts.push([name, value]);
    },
    report(write: (text: string) => void = (text) => process.stderr.write(text)): void {
      if (enabled) write(`${PHASES_PREFIX}${JSON.stringify(report)}\n`);
    },
  };
}

export const phases = createPhases();
