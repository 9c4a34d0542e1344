import type { StorageAssumptions, StorageFigures } from "clusterlab";

// From uploads to the bytes on disk after five years, replicas included.
export default function estimate(a: StorageAssumptions): StorageFigures {
  const dailyUploads = 0; // TODO
  const bytesPerDay = 0; // TODO
  const bytesFirstYear = 0; // TODO
  const rawBytes5y = 0; // TODO: five years, each bigger than the one before
  const storageBytes5y = 0; // TODO
  return { dailyUploads, bytesPerDay, bytesFirstYear, rawBytes5y, storageBytes5y };
}
