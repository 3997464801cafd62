import { Document, isMap, isScalar, isSeq, visit } from 'yaml';

/**
 * YAML text for files rolecall writes (rolecall import): block style (short
 * lists of plain values on one line), no anchors or aliases, a comment above
 * the file and above each list item.
 * Lives here because src/source is the one stage that knows YAML.
 */
export interface CommentedSection {
  readonly key: string;
  readonly items: readonly { readonly comment?: string; readonly value: unknown }[];
}

/**
 * A comment may quote untrusted text (names and ARNs from an imported file):
 * any character a YAML reader could take for a line break (CR, NEL, LS, PS)
 * or a control character is written as an escape, so that the text cannot
 * end the comment and become YAML.
 */
const safe = (line: string) => line.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\ufeff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
const commentText = (text: string) => text.split('\n').map((line) => (line === '' ? '' : ` ${safe(line)}`)).join('\n');

export function yamlText(header: string, sections: readonly CommentedSection[]): string {
  const data = Object.fromEntries(sections.map((s) => [s.key, s.items.map((i) => i.value)]));
  const doc = new Document(data, { aliasDuplicateObjects: false });
  doc.commentBefore = commentText(header);
  const root = doc.contents;
  if (isMap(root)) {
    sections.forEach((section, index) => {
      const pair = root.items[index]!;
      if (index > 0 && pair.key && typeof pair.key === 'object') (pair.key as { spaceBefore?: boolean }).spaceBefore = true;
      const list = pair.value;
      if (!isSeq(list)) return;
      section.items.forEach((item, i) => {
        const node = list.items[i] as { commentBefore?: string; spaceBefore?: boolean } | undefined;
        if (!node) return;
        if (item.comment) node.commentBefore = commentText(item.comment);
        if (i > 0) node.spaceBefore = true;
      });
    });
  }
  // A short list of plain values reads best on one line: actions: [s3:GetObject, s3:PutObject].
  visit(doc, {
    Seq(_, node) {
      if (node.items.every(isScalar) && node.items.reduce((n, item) => n + String(item.value).length + 2, 0) <= 72) node.flow = true;
    },
  });
  return doc.toString({ lineWidth: 0, indentSeq: true, flowCollectionPadding: false });
}
