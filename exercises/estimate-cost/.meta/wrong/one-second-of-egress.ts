// fails: egress-bytes
import type { CostAssumptions, CostFigures } from "clusterlab";

// Prices one second of egress as if it were the month's.
export default function estimate(a: CostAssumptions): CostFigures {
  const serverDollarsPerMonth = a.servers * a.serverDollarsPerHour * 730;
  const storageDollarsPerMonth = ((a.storedBytes * a.replicationFactor) / 1e9) * a.storageDollarsPerGBMonth;
  const egressBytesPerMonth = (a.egressGbitsPerSec * 1e9) / 8;
  const egressDollarsPerMonth = (egressBytesPerMonth / 1e9) * a.egressDollarsPerGB;
  return { serverDollarsPerMonth, storageDollarsPerMonth, egressBytesPerMonth, egressDollarsPerMonth, totalDollarsPerMonth: serverDollarsPerMonth + storageDollarsPerMonth + egressDollarsPerMonth };
}
