import type { CostAssumptions, CostFigures } from "clusterlab";

// Every line of the bill as dollars per hour first (a dashboard's burn rate), then one month of hours.
export default function estimate(a: CostAssumptions): CostFigures {
  const hoursPerMonth = 730;
  const serversPerHour = a.servers * a.serverDollarsPerHour;
  const storagePerHour = ((a.storedBytes * a.replicationFactor) / 1e9) * (a.storageDollarsPerGBMonth / hoursPerMonth);
  const egressGBPerHour = (a.egressGbitsPerSec / 8) * 3600;
  const egressPerHour = egressGBPerHour * a.egressDollarsPerGB;
  return {
    serverDollarsPerMonth: serversPerHour * hoursPerMonth,
    storageDollarsPerMonth: storagePerHour * hoursPerMonth,
    egressBytesPerMonth: egressGBPerHour * 1e9 * hoursPerMonth,
    egressDollarsPerMonth: egressPerHour * hoursPerMonth,
    totalDollarsPerMonth: (serversPerHour + storagePerHour + egressPerHour) * hoursPerMonth,
  };
}
