/**
 * RegExp's legacy statics (`RegExp.$1`, `lastMatch`, `input`, …) report the realm's last match: in one
 * realm shared by several nodes, one node's match is another's message. Removed; a match's own result
 * (`exec`, `match`, replacement patterns like "$1") does not use them.
 */
const legacyStatics = [
  "input", "$_", "lastMatch", "$&", "lastParen", "$+", "leftContext", "$`", "rightContext", "$'",
  "$1", "$2", "$3", "$4", "$5", "$6", "$7", "$8", "$9",
];

export function removeRegExpStatics(): void {
  for (const name of legacyStatics) {
    if (!Reflect.deleteProperty(RegExp, name)) throw new TypeError(`lockdown: cannot delete RegExp.${name}`);
  }
}
