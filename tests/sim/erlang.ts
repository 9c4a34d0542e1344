/** Erlang C for M/M/c, the closed-form answers the simulator is checked against. */
export function erlangC(c: number, offeredLoad: number): number {
  // Σ a^k/k! for k < c, computed incrementally to stay exact for modest c.
  let term = 1;
  let sum = 0;
  for (let k = 0; k < c; k++) {
    sum += term;
    term *= offeredLoad / (k + 1);
  }
  const last = term * (c / (c - offeredLoad));
  return last / (sum + last);
}

/** Mean wait in the queue and P(wait > t) for arrival rate λ and service rate μ (per ms), c servers. */
export function mmc(c: number, lambdaPerMs: number, muPerMs: number): { meanWaitMs: number; waitOver(tMs: number): number; probWait: number } {
  const a = lambdaPerMs / muPerMs;
  const C = erlangC(c, a);
  const drain = c * muPerMs - lambdaPerMs;
  return { meanWaitMs: C / drain, probWait: C, waitOver: (t) => C * Math.exp(-drain * t) };
}
