/**
 * Characters that mean something in DingTalk, WeCom and Feishu (lark_md)
 * markdown, or in the HTML subset they render (`<font>`, `<at>`), mapped to
 * their full-width forms. None of the three documents a backslash escape that
 * works everywhere; a full-width `＊` reads the same to a person and is inert
 * to every renderer, so a mirror's error text cannot add links, mentions,
 * headings or fake status lines to an alert.
 */
const INERT: Readonly<Record<string, string>> = {
  '\\': '＼',
  '`': '｀',
  '*': '＊',
  _: '＿',
  '~': '～',
  '[': '［',
  ']': '］',
  '(': '（',
  ')': '）',
  '<': '＜',
  '>': '＞',
  '#': '＃',
  '!': '！',
  '|': '｜',
  '@': '＠',
  '&': '＆',
};

/** Text from outside (a mirror's error detail) made safe to place inside chat markdown. */
export function escapeChatMarkdown(text: string): string {
  return (
    text
      .replace(/[\\`*_~[\]()<>#!|@&]/g, (character) => INERT[character] ?? character)
      // Bare URLs are autolinked by all three: break the scheme separator.
      .replace(/:\/\//g, ':／／')
  );
}

/** One line, bounded: a newline in a detail would start a new markdown block. */
export function oneLine(text: string, maxLength = 500): string {
  const flat = text.replace(/[\r\n\t\u2028\u2029]+/g, ' ');
  return flat.length > maxLength ? `${flat.slice(0, maxLength)}…` : flat;
}
