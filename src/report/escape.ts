/**
 * Escaping for each output format. Log text is untrusted and ends up in XML (JUnit), Markdown
 * (a GitHub step summary), workflow commands (annotations) and HTML: each has its own rules,
 * and each function here makes any text inert in its format.
 */

 
const XML_CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g;
// Code points XML 1.0 forbids even as references: lone surrogates, U+FFFE and U+FFFF.
const XML_INVALID = /[\ud800-\udfff\ufffe\uffff]/gu;

/** Text for XML content and attribute values: markup escaped, characters XML forbids made visible. */
export function xmlEscape(text: string): string {
  return text
    .replace(XML_CONTROL, (ch) => (ch === '\x7f' ? '\u2421' : String.fromCharCode(0x2400 + ch.charCodeAt(0))))
    .replace(XML_INVALID, '\ufffd')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** Text for HTML content and quoted attribute values. */
export function htmlEscape(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/**
 * JSON for a <script type="application/json"> block: `<` is written \u003c so that no
 * `</script>` or `<!--` in a log line can end or change the block; U+2028/2029 likewise.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** The message of a workflow command (`::error ...::MESSAGE`). */
export function workflowData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A property value of a workflow command (`file=`, `title=`): also `:` and `,`. */
export function workflowProperty(text: string): string {
  return workflowData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
