// @ts-check
/**
 * Debian's Chromium, as the diagram renderer and the end-to-end tests launch it: never a downloaded
 * browser. CHROMIUM_PATH points elsewhere (another build, or a missing path to try the skip).
 */
import { chromium } from "playwright-core";

export const chromiumPath = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

/** Flags that work on these machines (no GPU, no sandbox for root, no background traffic). */
export const chromiumArgs = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/** @returns {Promise<import("playwright-core").Browser>} */
export function launchChromium() {
  return chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
}
