// fails: server-cost
import type { CostAssumptions, CostFigures } from "clusterlab";

// Prices the servers for a year's hours.
export default function estimate(a: CostAssumptions): CostFigures {
  const serverDollarsPerMonth = a.servers * a.serverDollarsPerHour * 8760;
  const storageDollarsPerMonth = ((a.storedBytes * a.replicationFactor) / 1e9) * a.storageDollarsPerGBMonth;
  const egressBytesPerMonth = ((a.egressGbitsPerSec * 1e9) / 8) * 730 * 3600;
  const egressDollarsPerMonth = (egressBytesPerMonth / 1e9) * a.egressDollarsPerGB;
  return { serverDollarsPerMonth, storageDollarsPerMonth, egressBytesPerMonth, egressDollarsPerMonth, totalDollarsPerMonth: serverDollarsPerMonth + storageDollarsPerMonth + egressDollarsPerMonth };
}
