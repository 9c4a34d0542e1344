import type { StorageAssumptions, StorageFigures } from "clusterlab";

// From the write rate in bytes per second, as a storage engineer sizes ingest; years as 3.15 × 10⁷ s,
// each year's rate grown from the last.
const secondsPerYear = 3.15e7;

export default function estimate(a: StorageAssumptions): StorageFigures {
  const bytesPerSec = (a.dailyActiveUsers * a.uploadsPerUserPerDay * a.bytesPerObject) / 86_400;
  let rate = bytesPerSec;
  let rawBytes5y = 0;
  for (let year = 0; year < 5; year++) {
    rawBytes5y += rate * secondsPerYear;
    rate *= 1 + a.userGrowthPerYear;
  }
  return {
    dailyUploads: a.dailyActiveUsers * a.uploadsPerUserPerDay,
    bytesPerDay: bytesPerSec * 86_400,
    bytesFirstYear: bytesPerSec * secondsPerYear,
    rawBytes5y,
    storageBytes5y: rawBytes5y * a.replicationFactor,
  };
}
