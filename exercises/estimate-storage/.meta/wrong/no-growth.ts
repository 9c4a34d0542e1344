// fails: raw-storage
import type { StorageAssumptions, StorageFigures } from "clusterlab";

// Five first years: the users' growth is left out.
export default function estimate(a: StorageAssumptions): StorageFigures {
  const dailyUploads = a.dailyActiveUsers * a.uploadsPerUserPerDay;
  const bytesPerDay = dailyUploads * a.bytesPerObject;
  const bytesFirstYear = bytesPerDay * 365;
  const rawBytes5y = bytesFirstYear * 5;
  return { dailyUploads, bytesPerDay, bytesFirstYear, rawBytes5y, storageBytes5y: rawBytes5y * a.replicationFactor };
}
