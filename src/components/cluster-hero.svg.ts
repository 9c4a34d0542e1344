// The home page hero: five nodes exchanging messages, one link cut by a partition.
// Inline SVG (no image request), coloured with Starlight's theme variables so it follows dark mode.
export const clusterHeroSvg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 320 240" width="320" height="240" role="img" aria-label="Five nodes of a cluster exchanging messages; one link is cut by a network partition">
  <g stroke="var(--sl-color-gray-4)" stroke-width="2" fill="none">
    <path d="M160 40 L60 110"/><path d="M160 40 L260 110"/><path d="M60 110 L100 200"/>
    <path d="M260 110 L220 200"/><path d="M100 200 L220 200"/><path d="M160 40 L100 200"/>
    <path d="M60 110 L260 110" stroke-dasharray="6 6"/>
  </g>
  <g stroke="var(--sl-color-red, #d33)" stroke-width="3" stroke-linecap="round">
    <path d="M152 100 L168 120"/><path d="M168 100 L152 120"/>
  </g>
  <circle r="5" fill="var(--sl-color-accent)"><animateMotion dur="2.4s" repeatCount="indefinite" path="M160 40 L260 110 L220 200"/></circle>
  <circle r="5" fill="var(--sl-color-accent)"><animateMotion dur="3s" repeatCount="indefinite" path="M100 200 L220 200"/></circle>
  <g fill="var(--sl-color-accent-low)" stroke="var(--sl-color-accent)" stroke-width="2.5">
    <circle cx="160" cy="40" r="22"/><circle cx="60" cy="110" r="22"/><circle cx="260" cy="110" r="22"/>
    <circle cx="100" cy="200" r="22"/><circle cx="220" cy="200" r="22"/>
  </g>
  <g fill="var(--sl-color-white)" font-family="ui-monospace, monospace" font-size="14" text-anchor="middle" dominant-baseline="central">
    <text x="160" y="40">n1</text><text x="60" y="110">n2</text><text x="260" y="110">n3</text>
    <text x="100" y="200">n4</text><text x="220" y="200">n5</text>
  </g>
</svg>`;
