const INVALID_XML_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

const SUSPECT_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/

/** Text made safe for XML 1.0: control characters and lone surrogates become U+FFFD. */
export function xmlSafeText(text: string): string {
  return SUSPECT_CHARS.test(text) ? text.replace(INVALID_XML_CHARS, '\uFFFD') : text
}

/** Escapes text for HTML/XML element content and quoted attributes; trusts nothing in the input. */
export function escapeMarkup(value: unknown): string {
  const text = xmlSafeText(value === undefined || value === null ? '' : String(value))
  if (!/[&<>"']/.test(text)) return text
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
}

/** ANSI escape sequences removed, so transcripts render as plain text. */
export function stripAnsi(text: string): string {
  if (!text.includes('\x1b') && !text.includes('\x9b')) return text
  return text.replace(/(\x1b\[|\x9b)[^@-_a-z]*[@-_a-z]|\x1b[@-_a-z]/g, '')
}
