// The API an estimation drill's solution sees. This file holds type declarations only: the CLI type check
// and the editor wrap it verbatim in `declare module "clusterlab" { … }`, beside the other harnesses' api.ts.
//
// ── Estimation drills ────────────────────────────────────────────────────────────────────────────────
// A drill's solution default-exports one function from the drill's assumptions to its figures. The grader
// draws new assumptions every seed and compares every figure, intermediate ones included, with its own
// model: full credit within 2×, partial within 10×. Every name ends with its unit; "Qps" is requests per
// second, "Bytes" are bytes (not bits), "Gbits" are 10⁹ bits, "GB" is 10⁹ bytes, "GiB" is 2³⁰ bytes.
// The function is called synchronously; it has no timers and no clock worth reading.

/** An estimation drill's solution: the assumptions in, the figures out. */
export type Estimate<Assumptions, Figures> = (assumptions: Readonly<Assumptions>) => Figures;

// ── estimate-qps ──

export interface QpsAssumptions {
  /** Users active on a day. */
  dailyActiveUsers: number;
  /** Reads (page views, feed loads) per user per day. */
  readsPerUserPerDay: number;
  /** Writes (posts, likes, edits) per user per day. */
  writesPerUserPerDay: number;
  /** The busiest hour's request rate over the day's mean rate. */
  peakToMeanRatio: number;
}

export interface QpsFigures {
  /** Reads and writes of all users in a day. */
  dailyRequests: number;
  /** Requests per second averaged over the day. */
  meanQps: number;
  /** Requests per second in the busiest hour. */
  peakQps: number;
  /** Writes per second in the busiest hour (what the primary database must take). */
  peakWriteQps: number;
  /** Reads per write. */
  readToWriteRatio: number;
}

// ── estimate-storage ──

export interface StorageAssumptions {
  /** Users active on a day in the first year. */
  dailyActiveUsers: number;
  /** Objects each user uploads a day. */
  uploadsPerUserPerDay: number;
  /** The stored size of one object, metadata included. */
  bytesPerObject: number;
  /** Yearly growth of the users: 0.6 means each year has 60% more than the year before. */
  userGrowthPerYear: number;
  /** Copies of every object. */
  replicationFactor: number;
}

export interface StorageFigures {
  /** Objects uploaded a day in the first year. */
  dailyUploads: number;
  /** Bytes uploaded a day in the first year (one copy). */
  bytesPerDay: number;
  /** Bytes uploaded in the first year (one copy). */
  bytesFirstYear: number;
  /** Bytes uploaded over the five years, growth included (one copy). */
  rawBytes5y: number;
  /** Bytes on disk after five years, every replica counted. */
  storageBytes5y: number;
}

// ── estimate-bandwidth ──

export interface BandwidthAssumptions {
  /** Users active on a day. */
  dailyActiveUsers: number;
  /** Uploads per user per day. */
  uploadsPerUserPerDay: number;
  /** Bytes of one upload. */
  bytesPerUpload: number;
  /** Items each user views a day. */
  viewsPerUserPerDay: number;
  /** Bytes sent for one view. */
  bytesPerView: number;
  /** The busiest hour's traffic over the day's mean. */
  peakToMeanRatio: number;
}

export interface BandwidthFigures {
  /** Upload bytes per second, the day's mean. */
  ingressBytesPerSec: number;
  /** View bytes per second, the day's mean. */
  egressBytesPerSec: number;
  /** Upload bytes per second in the busiest hour. */
  peakIngressBytesPerSec: number;
  /** View bytes per second in the busiest hour. */
  peakEgressBytesPerSec: number;
  /** The peak egress in gigabits (10⁹ bits) per second. */
  peakEgressGbitsPerSec: number;
}

// ── estimate-cache ──

export interface CacheAssumptions {
  /** Distinct items in the catalogue; popularity is Zipf with exponent 1 (rank i gets a share ∝ 1/i). */
  objects: number;
  /** Bytes of one item's cached value. */
  bytesPerObject: number;
  /** Bytes of overhead per cache entry (key, pointers, allocator). */
  overheadBytesPerEntry: number;
  /** The share of the items the cache keeps, the most popular first. */
  hotShare: number;
  /** Usable memory of one cache node, in GiB (2³⁰ bytes). */
  nodeMemoryGiB: number;
  /** Reads per second at the peak, all through the cache. */
  readsPerSec: number;
}

export interface CacheFigures {
  /** Items the cache keeps. */
  hotObjects: number;
  /** Memory of one cache entry, overhead included. */
  bytesPerEntry: number;
  /** Memory for the hot set. */
  cacheBytes: number;
  /** Cache nodes it takes (a whole number). */
  cacheNodes: number;
  /** The share of reads the hot set answers (0…1): H(k) / H(n), with H(n) ≈ ln n + 0.5772. */
  hitRatio: number;
  /** Reads per second that miss and reach the database. */
  dbReadsPerSec: number;
}

// ── estimate-servers ──

export interface ServersAssumptions {
  /** Users active on a day. */
  dailyActiveUsers: number;
  /** Requests each user makes a day. */
  requestsPerUserPerDay: number;
  /** The busiest hour's request rate over the day's mean. */
  peakToMeanRatio: number;
  /** CPU time one request takes, in ms of one core. */
  cpuMsPerRequest: number;
  /** Cores of one server. */
  coresPerServer: number;
  /** The share of its cores a server may keep busy at the peak (0…1). */
  targetUtilisation: number;
  /** Zones the servers are spread over, evenly; with one down, the others carry the peak. */
  zones: number;
}

export interface ServersFigures {
  /** Requests per second in the busiest hour. */
  peakQps: number;
  /** Cores kept fully busy at the peak. */
  busyCores: number;
  /** Cores needed so that none is busier than the utilisation target. */
  coresNeeded: number;
  /** Servers that carry the peak at the target (a whole number). */
  serversForPeak: number;
  /** Servers to deploy so that with one zone down the rest still carry the peak (a whole number). */
  servers: number;
}

// ── estimate-fan-out ──

export interface FanOutAssumptions {
  /** Leaf calls per request, in parallel; the request waits for all of them. */
  fanOut: number;
  /** The probability that one leaf call is slow, independently of the others. */
  leafSlowProbability: number;
  /** The share of requests allowed to be slow. */
  targetSlowProbability: number;
}

export interface FanOutFigures {
  /** The probability that all leaf calls of a request are fast (0…1). */
  allFastProbability: number;
  /** The probability that a request is slow: at least one leaf call is (0…1). */
  slowRequestProbability: number;
  /** The largest fan-out that keeps the slow share within the target (a whole number). */
  maxFanOut: number;
  /** How rarely each leaf may be slow for requests at this fan-out to meet the target (0…1). */
  leafSlowProbabilityForTarget: number;
}

// ── estimate-availability ──

export interface AvailabilityAssumptions {
  /** The load balancer's availability (0…1), a single part in series. */
  loadBalancerAvailability: number;
  /** One app server's availability (0…1). */
  appServerAvailability: number;
  /** App servers; the tier is up while any one is. */
  appServers: number;
  /** One database node's availability (0…1). */
  databaseNodeAvailability: number;
  /** Database nodes; the tier is up while any one is (failover is instant). */
  databaseNodes: number;
  /** The external dependency's availability (0…1), a single part in series. */
  dependencyAvailability: number;
}

export interface AvailabilityFigures {
  /** The probability that every app server is down at once. */
  appTierUnavailability: number;
  /** The probability that every database node is down at once. */
  databaseTierUnavailability: number;
  /** The probability that a request finds every tier up (0…1). */
  systemAvailability: number;
  /** The availability in nines: −log10(1 − systemAvailability); 99.9% is 3. */
  systemNines: number;
  /** Expected minutes a year the service is down. */
  downtimeMinutesPerYear: number;
}

// ── estimate-cost ──

export interface CostAssumptions {
  /** Servers running all month. */
  servers: number;
  /** Bytes of objects stored (one copy). */
  storedBytes: number;
  /** Copies of every object, each billed. */
  replicationFactor: number;
  /** Mean egress to the internet, in gigabits (10⁹ bits) per second. */
  egressGbitsPerSec: number;
  /** Price of one server per hour, in dollars. */
  serverDollarsPerHour: number;
  /** Price of storing 1 GB (10⁹ bytes) for a month, in dollars. */
  storageDollarsPerGBMonth: number;
  /** Price of sending 1 GB (10⁹ bytes) to the internet, in dollars. */
  egressDollarsPerGB: number;
}

export interface CostFigures {
  /** The servers' bill for a month (a month is 730 hours). */
  serverDollarsPerMonth: number;
  /** The storage bill for a month, every replica billed. */
  storageDollarsPerMonth: number;
  /** Bytes sent to the internet in a month. */
  egressBytesPerMonth: number;
  /** The egress bill for a month. */
  egressDollarsPerMonth: number;
  /** The whole month's bill. */
  totalDollarsPerMonth: number;
}
