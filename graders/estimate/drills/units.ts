/** The calendar and unit constants the drills' models use, named once (a year is 365 days; a month is a twelfth of it). */
export const secondsPerDay = 86_400;
export const daysPerYear = 365;
export const hoursPerMonth = (24 * daysPerYear) / 12;
export const secondsPerMonth = hoursPerMonth * 3600;
export const minutesPerYear = 60 * 24 * daysPerYear;
export const bitsPerByte = 8;
export const bytesPerGiB = 2 ** 30;
export const bytesPerGB = 1e9;
