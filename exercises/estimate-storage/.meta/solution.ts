import type { StorageAssumptions, StorageFigures } from "clusterlab";

export default function estimate(a: StorageAssumptions): StorageFigures {
  const dailyUploads = a.dailyActiveUsers * a.uploadsPerUserPerDay;
  const bytesPerDay = dailyUploads * a.bytesPerObject;
  const bytesFirstYear = bytesPerDay * 365;
  // Year k uploads (1 + g)^k first years' worth.
  let years = 0;
  for (let k = 0; k < 5; k++) years += (1 + a.userGrowthPerYear) ** k;
  const rawBytes5y = bytesFirstYear * years;
  return { dailyUploads, bytesPerDay, bytesFirstYear, rawBytes5y, storageBytes5y: rawBytes5y * a.replicationFactor };
}
