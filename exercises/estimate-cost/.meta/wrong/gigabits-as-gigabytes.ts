// fails: egress-bytes
import type { CostAssumptions, CostFigures } from "clusterlab";

// Takes gigabits per second for gigabytes per second.
export default function estimate(a: CostAssumptions): CostFigures {
  const serverDollarsPerMonth = a.servers * a.serverDollarsPerHour * 730;
  const storageDollarsPerMonth = ((a.storedBytes * a.replicationFactor) / 1e9) * a.storageDollarsPerGBMonth;
  const egressBytesPerMonth = a.egressGbitsPerSec * 1e9 * 730 * 3600;
  const egressDollarsPerMonth = (egressBytesPerMonth / 1e9) * a.egressDollarsPerGB;
  return { serverDollarsPerMonth, storageDollarsPerMonth, egressBytesPerMonth, egressDollarsPerMonth, totalDollarsPerMonth: serverDollarsPerMonth + storageDollarsPerMonth + egressDollarsPerMonth };
}
