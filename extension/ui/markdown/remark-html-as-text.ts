/**
 * remark plugin: raw HTML in model output becomes visible text.
 *
 * Without `rehype-raw`, remark-rehype would silently drop it; showing it instead means
 * the user sees what the model actually wrote (including an injection attempt such as
 * `<img src=x onerror=…>`) and prose like "use the <kbd> element" keeps its words.
 * It is text to React, so it is escaped, never parsed as markup. The one exception is
 * `<br>`, which models put in table cells to break lines: it becomes a markdown break.
 */

/** The slice of the mdast shape this plugin touches. */
type MdNode = {
  type: string;
  value?: string;
  children?: MdNode[];
};

/** Parents whose children are blocks (flow content): HTML there becomes a paragraph. */
const FLOW_PARENTS: ReadonlySet<string> = new Set([
  'root',
  'blockquote',
  'listItem',
  'footnoteDefinition',
]);

const BR = /^<br\s*\/?>$/i;

/** Plugin factory for `remarkPlugins`. */
export function remarkHtmlAsText() {
  return (tree: MdNode): undefined => {
    // Iterative walk: model output can nest thousands of levels deep.
    const stack: MdNode[] = [tree];
    for (let parent = stack.pop(); parent; parent = stack.pop()) {
      const children = parent.children;
      if (!children) continue;
      const flow = FLOW_PARENTS.has(parent.type);
      for (let i = 0; i < children.length; i += 1) {
        const child = children[i];
        if (!child) continue;
        if (child.type === 'html') {
          children[i] = asText(child.value ?? '', flow);
        } else if (child.children) {
          stack.push(child);
        }
      }
    }
    return undefined;
  };
}

function asText(value: string, flow: boolean): MdNode {
  if (flow) return { type: 'paragraph', children: [{ type: 'text', value }] };
  if (BR.test(value.trim())) return { type: 'break' };
  return { type: 'text', value };
}
