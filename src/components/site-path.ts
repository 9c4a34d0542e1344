// Paths of this site under the base it is built for (astro.config.mjs reads CLUSTERLAB_BASE): the site
// may live at the root of a domain or under a folder of one (GitHub Pages serves a project at
// /<repository>/). Every link of ours goes through here, in pages and in the browser's scripts alike
// (Vite puts the base into import.meta.env.BASE_URL in both).

/** "/exercises/" → "/clusterlab/exercises/" when the site is built for /clusterlab/; unchanged at the root. */
export function sitePath(path: string): string {
  const base = (import.meta.env.BASE_URL ?? "/").replace(/\/+$/, "");
  return `${base}/${path.replace(/^\/+/, "")}`;
}
