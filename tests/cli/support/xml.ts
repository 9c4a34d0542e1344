// A strict little XML 1.0 reader for tests: elements, attributes, text, character and the five predefined
// entity references, the XML declaration and comments. Anything not well-formed throws, naming the offset:
// the JUnit test reads our output back with it, so a missed escape fails there and not in a CI server.
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

// XML 1.0's Char production: tab, newline, return, and everything from space up except surrogates and FFFE/FFFF.
const CHAR = /^[\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]*$/u;
const NAME = /^[A-Za-z_:][\w.:-]*/;

export function parseXml(text: string): XmlElement {
  if (!CHAR.test(text)) throw new Error("a character XML 1.0 does not allow");
  let pos = 0;
  const fail = (what: string): never => {
    throw new Error(`${what} at offset ${pos}: ${JSON.stringify(text.slice(pos, pos + 30))}`);
  };
  const skipSpace = () => {
    while (pos < text.length && /\s/.test(text[pos]!)) pos++;
  };
  const skipMisc = () => {
    for (;;) {
      skipSpace();
      if (text.startsWith("<!--", pos)) {
        const end = text.indexOf("-->", pos);
        if (end === -1) fail("an unclosed comment");
        pos = end + 3;
      } else return;
    }
  };
  const decode = (raw: string): string =>
    raw.replace(/&([^;]*);|&|</g, (whole, ref: string | undefined) => {
      if (whole === "<") return fail("a raw '<' in text");
      if (ref === undefined) return fail("a raw '&' in text");
      if (ref === "lt") return "<";
      if (ref === "gt") return ">";
      if (ref === "amp") return "&";
      if (ref === "quot") return '"';
      if (ref === "apos") return "'";
      const code = /^#x([0-9a-fA-F]+)$/.exec(ref) ? parseInt(ref.slice(2), 16) : /^#(\d+)$/.test(ref) ? Number(ref.slice(1)) : NaN;
      if (Number.isNaN(code)) return fail(`an unknown entity &${ref};`);
      const ch = String.fromCodePoint(code);
      if (!CHAR.test(ch)) return fail(`a reference to a character XML does not allow (&${ref};)`);
      return ch;
    });
  const readName = (): string => {
    const m = NAME.exec(text.slice(pos));
    if (!m) fail("a name");
    pos += m![0].length;
    return m![0];
  };
  const readElement = (): XmlElement => {
    if (text[pos] !== "<") fail("'<'");
    pos++;
    const name = readName();
    const attributes: Record<string, string> = {};
    for (;;) {
      const before = pos;
      skipSpace();
      if (text.startsWith("/>", pos)) {
        pos += 2;
        return { name, attributes, children: [], text: "" };
      }
      if (text[pos] === ">") {
        pos++;
        break;
      }
      if (pos === before) fail("space before an attribute");
      const attr = readName();
      skipSpace();
      if (text[pos] !== "=") fail("'='");
      pos++;
      skipSpace();
      const quote = text[pos];
      if (quote !== '"' && quote !== "'") fail("a quoted value");
      const end = text.indexOf(quote!, pos + 1);
      if (end === -1) fail("a closing quote");
      if (Object.hasOwn(attributes, attr)) fail(`attribute ${attr} given twice`);
      // Attribute-value normalisation: literal whitespace becomes a space, references keep theirs.
      attributes[attr] = decode(text.slice(pos + 1, end).replace(/[\t\n\r]/g, " "));
      pos = end + 1;
    }
    const children: XmlElement[] = [];
    let body = "";
    for (;;) {
      const next = text.indexOf("<", pos);
      if (next === -1) fail(`the end of <${name}>`);
      const raw = text.slice(pos, next);
      if (raw.includes("]]>")) fail("']]>' in text");
      body += decode(raw.replace(/\r\n?/g, "\n"));
      pos = next;
      if (text.startsWith("</", pos)) {
        pos += 2;
        const closing = readName();
        if (closing !== name) fail(`</${name}>, not </${closing}>`);
        skipSpace();
        if (text[pos] !== ">") fail("'>'");
        pos++;
        return { name, attributes, children, text: body };
      }
      if (text.startsWith("<!--", pos)) {
        const end = text.indexOf("-->", pos);
        if (end === -1) fail("an unclosed comment");
        pos = end + 3;
        continue;
      }
      children.push(readElement());
    }
  };
  if (text.startsWith("<?xml")) {
    const end = text.indexOf("?>");
    if (end === -1) fail("the end of the XML declaration");
    pos = end + 2;
  }
  skipMisc();
  const root = readElement();
  skipMisc();
  if (pos !== text.length) fail("the end of the document");
  return root;
}
