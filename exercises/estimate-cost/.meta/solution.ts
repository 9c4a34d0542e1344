import type { CostAssumptions, CostFigures } from "clusterlab";

const hoursPerMonth = (365 * 24) / 12;

export default function estimate(a: CostAssumptions): CostFigures {
  const serverDollarsPerMonth = a.servers * a.serverDollarsPerHour * hoursPerMonth;
  const storageDollarsPerMonth = ((a.storedBytes * a.replicationFactor) / 1e9) * a.storageDollarsPerGBMonth;
  const egressBytesPerMonth = ((a.egressGbitsPerSec * 1e9) / 8) * hoursPerMonth * 3600;
  const egressDollarsPerMonth = (egressBytesPerMonth / 1e9) * a.egressDollarsPerGB;
  return { serverDollarsPerMonth, storageDollarsPerMonth, egressBytesPerMonth, egressDollarsPerMonth, totalDollarsPerMonth: serverDollarsPerMonth + storageDollarsPerMonth + egressDollarsPerMonth };
}
