/**
 * The cost drill's price table: clusterlab's own round figures, not any provider's quote. Set 2026-12 to the
 * order of magnitude of the large public clouds' on-demand list prices in their cheapest regions (a
 * general-purpose 8-core, 32 GiB instance; standard object storage; egress to the internet at the first
 * volume tier), so that the drill's answers land where a real bill would, within its 2× tolerance. An
 * instructor may change them here: the model and the instructions read this table.
 */
export const prices = {
  /** One application server (8 cores, 32 GiB), per hour it runs. */
  serverDollarsPerHour: 0.4,
  /** Object storage, per GB (10⁹ bytes) stored for a month. */
  storageDollarsPerGBMonth: 0.02,
  /** Egress to the internet, per GB (10⁹ bytes) sent. */
  egressDollarsPerGB: 0.08,
} as const;
