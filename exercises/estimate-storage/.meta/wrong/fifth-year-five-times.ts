// fails: raw-storage
import type { StorageAssumptions, StorageFigures } from "clusterlab";

// Counts all five years at the fifth year's volume.
export default function estimate(a: StorageAssumptions): StorageFigures {
  const dailyUploads = a.dailyActiveUsers * a.uploadsPerUserPerDay;
  const bytesPerDay = dailyUploads * a.bytesPerObject;
  const bytesFirstYear = bytesPerDay * 365;
  const rawBytes5y = bytesFirstYear * (1 + a.userGrowthPerYear) ** 4 * 5;
  return { dailyUploads, bytesPerDay, bytesFirstYear, rawBytes5y, storageBytes5y: rawBytes5y * a.replicationFactor };
}
