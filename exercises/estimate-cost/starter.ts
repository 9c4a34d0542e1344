import type { CostAssumptions, CostFigures } from "clusterlab";

// A month's bill: servers, replicated storage and egress, from the prices in the assumptions.
export default function estimate(a: CostAssumptions): CostFigures {
  const serverDollarsPerMonth = 0; // TODO
  const storageDollarsPerMonth = 0; // TODO
  const egressBytesPerMonth = 0; // TODO
  const egressDollarsPerMonth = 0; // TODO
  const totalDollarsPerMonth = serverDollarsPerMonth + storageDollarsPerMonth + egressDollarsPerMonth;
  return { serverDollarsPerMonth, storageDollarsPerMonth, egressBytesPerMonth, egressDollarsPerMonth, totalDollarsPerMonth };
}
