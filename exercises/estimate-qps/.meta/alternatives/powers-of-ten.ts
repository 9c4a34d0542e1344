import type { QpsAssumptions, QpsFigures } from "clusterlab";

// The interview way: 10⁵ seconds a day, and every figure said to one significant digit. Each lands within
// 2× of the exact arithmetic (16% from the day, at most 1.5× from the rounding), which is what is asked.
const say = (x: number) => Number(x.toPrecision(1));
const secondsPerDay = 1e5;

export default function estimate(a: QpsAssumptions): QpsFigures {
  const dailyRequests = a.dailyActiveUsers * (a.readsPerUserPerDay + a.writesPerUserPerDay);
  const meanQps = dailyRequests / secondsPerDay;
  const peakWrites = ((a.dailyActiveUsers * a.writesPerUserPerDay) / secondsPerDay) * a.peakToMeanRatio;
  return {
    dailyRequests: say(dailyRequests),
    meanQps: say(meanQps),
    peakQps: say(meanQps * a.peakToMeanRatio),
    peakWriteQps: say(peakWrites),
    readToWriteRatio: say(a.readsPerUserPerDay / a.writesPerUserPerDay),
  };
}
