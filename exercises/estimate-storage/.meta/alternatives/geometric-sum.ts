import type { StorageAssumptions, StorageFigures } from "clusterlab";

// The five growing years as one geometric sum: 1 + r + r² + r³ + r⁴ = (r⁵ − 1) / (r − 1), r = 1 + growth.
export default function estimate(a: StorageAssumptions): StorageFigures {
  const dailyUploads = a.dailyActiveUsers * a.uploadsPerUserPerDay;
  const bytesPerDay = dailyUploads * a.bytesPerObject;
  const bytesFirstYear = bytesPerDay * 365;
  const r = 1 + a.userGrowthPerYear;
  const rawBytes5y = (bytesFirstYear * (r ** 5 - 1)) / (r - 1);
  return { dailyUploads, bytesPerDay, bytesFirstYear, rawBytes5y, storageBytes5y: rawBytes5y * a.replicationFactor };
}
