/** The design prompts, by name: a prompt is one module here and one line below. */
import type { Prompt } from "../prompt.ts";
import { rateLimiter } from "./rate-limiter.ts";
import { urlShortener } from "./url-shortener.ts";
import { chat } from "./chat.ts";
import { newsFeed } from "./news-feed.ts";
import { notifications } from "./notifications.ts";

export const prompts: Readonly<Record<string, Prompt>> = {
  [urlShortener.name]: urlShortener,
  [rateLimiter.name]: rateLimiter,
  [chat.name]: chat,
  [newsFeed.name]: newsFeed,
  [notifications.name]: notifications,
};

export function getPrompt(name: string): Prompt | undefined {
  return Object.hasOwn(prompts, name) ? prompts[name] : undefined;
}
