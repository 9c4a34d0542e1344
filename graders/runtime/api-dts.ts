/** The learner-facing types as one ambient module, for the CLI's type check and the editor alike. */
export function clusterlabModuleDts(apiSources: readonly string[]): string {
  return `declare module "clusterlab" {\n${apiSources.join("\n")}\n}\n`;
}
