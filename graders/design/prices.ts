/**
 * THE price table of design exercises: every dollar a design's cost is made of comes from here, so an
 * instructor changes prices (or adds a size) in this one file.
 *
 * Source: AWS public on-demand list prices for us-east-1 (Linux, no reservation, no free tier), as
 * published on the EC2, ElastiCache, RDS for PostgreSQL, DynamoDB, S3, CloudFront, Elastic Load Balancing,
 * Kinesis Data Streams and data-transfer pricing pages, read for this table in 2025-06. They were not
 * re-checked against the live pages when this file was written: they are for comparing designs with each
 * other, not for a budget. Other regions: us-east-1's prices times `regionFactor` (us-west-2 lists the same
 * prices; eu-west-1 about 10% more).
 */

export const pricesAsOf = "2025-06 (AWS on-demand list prices, us-east-1)";

export const hoursPerMonth = 730;

/** Compute instances (EC2 c7g, Graviton3). `usdPerHour` on demand. */
export const poolInstances = {
  "c7g.medium": { vcpu: 1, memoryGb: 2, usdPerHour: 0.0363 },
  "c7g.large": { vcpu: 2, memoryGb: 4, usdPerHour: 0.0725 },
  "c7g.xlarge": { vcpu: 4, memoryGb: 8, usdPerHour: 0.145 },
  "c7g.2xlarge": { vcpu: 8, memoryGb: 16, usdPerHour: 0.29 },
  "c7g.4xlarge": { vcpu: 16, memoryGb: 32, usdPerHour: 0.58 },
} as const;

/** Database instances (RDS for PostgreSQL, r7g, single-AZ price per instance; each replica is one more). */
export const dbInstances = {
  "db.r7g.large": { vcpu: 2, memoryGb: 16, usdPerHour: 0.239 },
  "db.r7g.xlarge": { vcpu: 4, memoryGb: 32, usdPerHour: 0.478 },
  "db.r7g.2xlarge": { vcpu: 8, memoryGb: 64, usdPerHour: 0.956 },
  "db.r7g.4xlarge": { vcpu: 16, memoryGb: 128, usdPerHour: 1.912 },
} as const;

/** Cache nodes (ElastiCache for Redis OSS, r7g): a cache's memory is made of the smallest node that holds its share. */
export const cacheNodes = {
  "cache.r7g.large": { vcpu: 2, memoryGb: 13.07, usdPerHour: 0.219 },
  "cache.r7g.xlarge": { vcpu: 4, memoryGb: 26.32, usdPerHour: 0.437 },
  "cache.r7g.2xlarge": { vcpu: 8, memoryGb: 52.82, usdPerHour: 0.873 },
  "cache.r7g.4xlarge": { vcpu: 16, memoryGb: 105.81, usdPerHour: 1.747 },
  "cache.r7g.8xlarge": { vcpu: 32, memoryGb: 209.55, usdPerHour: 3.493 },
} as const;

export const prices = {
  /** RDS gp3 storage, per GB-month, per copy (the primary and each replica keep one). */
  dbStorageUsdPerGbMonth: 0.115,
  /** DynamoDB on demand: per million write / read request units, and storage per GB-month. */
  kvUsdPerMillionWrites: 0.625,
  kvUsdPerMillionReads: 0.125,
  kvStorageUsdPerGbMonth: 0.25,
  /** S3 Standard: storage per GB-month, per 1000 PUTs and per 1000 GETs. */
  objectStorageUsdPerGbMonth: 0.023,
  objectUsdPerThousandPuts: 0.005,
  objectUsdPerThousandGets: 0.0004,
  /** Application Load Balancer: per hour, and per LCU-hour (an LCU is about 25 new connections/s: we count 1 LCU per 1000 requests/s). */
  lbUsdPerHour: 0.0225,
  lbUsdPerLcuHour: 0.008,
  lbRequestsPerSecPerLcu: 1000,
  /** Kinesis Data Streams (provisioned): per shard-hour, and per million PUT payload units. */
  queueUsdPerPartitionHour: 0.015,
  queueUsdPerMillionPublishes: 0.014,
  /** CloudFront (North America): per GB to users, and per 10,000 HTTPS requests. */
  cdnUsdPerGb: 0.085,
  cdnUsdPerTenThousandRequests: 0.01,
  /** Data transfer: to the internet (first 10 TB), between zones (each way), between regions. */
  internetEgressUsdPerGb: 0.09,
  crossZoneUsdPerGb: 0.01,
  crossRegionUsdPerGb: 0.02,
} as const;

/**
 * Third-party delivery (design/world.ts ProviderComponent), per channel: the price of a delivered send,
 * and what the provider allows one account (sends per second; above it, 429). Prices: Amazon SNS mobile
 * push ($0.50 per million), SNS SMS to US numbers (about $0.0058 each, carrier fees aside) and Amazon SES
 * email ($0.10 per 1,000), read from the same AWS pricing pages as the rest of this table (2025-06), not
 * re-checked. Rates: of the order of the default quotas those services publish (a push account's
 * thousands per second, an SMS sender's hundred, an email account's sending rate), rounded; a real
 * account asks for more.
 */
export const providerChannels = {
  push: { usdPerSend: 0.0000005, sendsPerSecMax: 10_000 },
  sms: { usdPerSend: 0.0058, sendsPerSecMax: 100 },
  email: { usdPerSend: 0.0001, sendsPerSecMax: 1000 },
} as const;

/** Each region's prices relative to us-east-1's. */
export const regionFactor: Record<string, number> = {
  "us-east-1": 1,
  "us-west-2": 1,
  "eu-west-1": 1.1,
};

export type PoolInstanceName = keyof typeof poolInstances;
export type DbInstanceName = keyof typeof dbInstances;
