/** Drill: storage over five years of a growing service, with replication. */
import { pow } from "../numbers.ts";
import type { Drill, Values } from "../types.ts";
import { daysPerYear } from "./units.ts";

const years = 5;

/** Years of data, counted in first-year volumes, when the users grow by `growth` a year: 1 + g' + g'² + … (g' = 1 + growth). */
const growthYears = (growth: number): number => {
  let sum = 0;
  for (let year = 0; year < years; year++) sum += pow(1 + growth, year);
  return sum;
};

const growthYearsOf = (v: Values) => growthYears(v.userGrowthPerYear!);

export const storageDrill: Drill = {
  name: "estimate-storage",
  title: "Storage over five years, with replication",
  summary: "A service keeps every object its users upload for at least five years. Its users grow each year (each year's uploads are that much more than the year before), and every object is stored on several replicas.",
  assumptions: [
    { name: "dailyActiveUsers", description: "users active on a day in the first year", min: 1e6, max: 2e8, scale: "log", factorHint: "the number of users" },
    { name: "uploadsPerUserPerDay", description: "objects each user uploads a day", min: 0.2, max: 10, scale: "log" },
    { name: "bytesPerObject", description: "the stored size of one object, metadata included", min: 500, max: 2e6, scale: "log" },
    { name: "userGrowthPerYear", description: "yearly growth of the users (0.6: each year 60% more than the year before)", min: 0.5, max: 1, scale: "linear", step: 0.1 },
    { name: "replicationFactor", description: "copies of every object", min: 3, max: 5, scale: "linear", step: 1, factorHint: "every byte is stored that many times" },
  ],
  steps: [
    {
      figure: "dailyUploads",
      check: "daily-uploads",
      description: "objects uploaded a day in the first year",
      inputs: ["dailyActiveUsers", "uploadsPerUserPerDay"],
      rule: "dailyActiveUsers × uploadsPerUserPerDay",
      compute: (v) => v.dailyActiveUsers! * v.uploadsPerUserPerDay!,
    },
    {
      figure: "bytesPerDay",
      check: "daily-bytes",
      description: "bytes uploaded a day in the first year (one copy)",
      inputs: ["dailyUploads", "bytesPerObject"],
      rule: "dailyUploads × bytesPerObject",
      compute: (v) => v.dailyUploads! * v.bytesPerObject!,
    },
    {
      figure: "bytesFirstYear",
      check: "first-year-bytes",
      description: "bytes uploaded in the first year (one copy)",
      inputs: ["bytesPerDay"],
      rule: "bytesPerDay × 365 days",
      compute: (v) => v.bytesPerDay! * daysPerYear,
      mistakes: [{ compute: (v) => v.bytesPerDay! * 30, says: "you multiplied by 30, the days in a month: a year has 365" }],
    },
    {
      figure: "rawBytes5y",
      check: "raw-storage",
      description: "bytes uploaded over the five years, growth included (one copy)",
      inputs: ["bytesFirstYear", "userGrowthPerYear"],
      rule: "bytesFirstYear × (1 + g + g² + g³ + g⁴), g = 1 + userGrowthPerYear",
      compute: (v) => v.bytesFirstYear! * growthYearsOf(v),
      mistakes: [
        { compute: (v) => v.bytesFirstYear! * years, says: "you counted five first years: the users grow, so each year uploads (1 + userGrowthPerYear) times the year before" },
        { compute: (v) => v.bytesFirstYear! * years * pow(1 + v.userGrowthPerYear!, years - 1), says: "you counted five years at the fifth year's volume: the earlier years were smaller" },
      ],
    },
    {
      figure: "storageBytes5y",
      check: "storage",
      description: "bytes on disk after five years, every replica counted",
      inputs: ["rawBytes5y", "replicationFactor"],
      rule: "rawBytes5y × replicationFactor",
      compute: (v) => v.rawBytes5y! * v.replicationFactor!,
      mistakes: [{ compute: (v) => v.rawBytes5y!, says: "that is one copy: every object is stored replicationFactor times" }],
    },
  ],
};
