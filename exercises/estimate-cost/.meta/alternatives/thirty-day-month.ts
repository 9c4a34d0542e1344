import type { CostAssumptions, CostFigures } from "clusterlab";

// A 30-day month (720 hours): 1.4% short of a twelfth of a year, which no estimate needs to care about.
export default function estimate(a: CostAssumptions): CostFigures {
  const hours = 30 * 24;
  const serverDollarsPerMonth = a.servers * a.serverDollarsPerHour * hours;
  const storageDollarsPerMonth = ((a.storedBytes * a.replicationFactor) / 1e9) * a.storageDollarsPerGBMonth;
  const egressBytesPerMonth = (a.egressGbitsPerSec / 8) * 1e9 * hours * 3600;
  const egressDollarsPerMonth = (egressBytesPerMonth / 1e9) * a.egressDollarsPerGB;
  return { serverDollarsPerMonth, storageDollarsPerMonth, egressBytesPerMonth, egressDollarsPerMonth, totalDollarsPerMonth: serverDollarsPerMonth + storageDollarsPerMonth + egressDollarsPerMonth };
}
