// fails: storage-cost
import type { CostAssumptions, CostFigures } from "clusterlab";

// Bills one copy of the objects: the replicas are forgotten.
export default function estimate(a: CostAssumptions): CostFigures {
  const serverDollarsPerMonth = a.servers * a.serverDollarsPerHour * 730;
  const storageDollarsPerMonth = (a.storedBytes / 1e9) * a.storageDollarsPerGBMonth;
  const egressBytesPerMonth = ((a.egressGbitsPerSec * 1e9) / 8) * 730 * 3600;
  const egressDollarsPerMonth = (egressBytesPerMonth / 1e9) * a.egressDollarsPerGB;
  return { serverDollarsPerMonth, storageDollarsPerMonth, egressBytesPerMonth, egressDollarsPerMonth, totalDollarsPerMonth: serverDollarsPerMonth + storageDollarsPerMonth + egressDollarsPerMonth };
}
