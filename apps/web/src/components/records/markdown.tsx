import type { ReactNode } from "react";

/**
 * Renders the small Markdown subset people write in notes — paragraphs, headings, lists, quotes,
 * code, **bold**, *italic*, `code` and [links](https://…) — as React elements. Text is never
 * parsed as HTML, so a note containing `<script>` shows those characters and nothing runs; links
 * only keep http(s) and mailto addresses.
 */
export function Markdown({ source, className = "" }: { source: string; className?: string }) {
  return <div className={`space-y-2 text-sm leading-6 break-words text-slate-700 ${className}`}>{blocks(source)}</div>;
}

type Block =
  | { kind: "paragraph"; lines: string[] }
  | { kind: "heading"; level: number; text: string }
  | { kind: "list"; ordered: boolean; items: string[] }
  | { kind: "quote"; lines: string[] }
  | { kind: "code"; text: string };

function parse(source: string): Block[] {
  const lines = source.replace(/\r\n?/g, "\n").split("\n");
  const out: Block[] = [];
  let index = 0;
  while (index < lines.length) {
    const line = lines[index] ?? "";
    if (line.trim() === "") {
      index++;
      continue;
    }
    if (line.trimStart().startsWith("```")) {
      const body: string[] = [];
      index++;
      while (index < lines.length && !(lines[index] ?? "").trimStart().startsWith("```"))
        body.push(lines[index++] ?? "");
      index++;
      out.push({ kind: "code", text: body.join("\n") });
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      out.push({ kind: "heading", level: heading[1]?.length ?? 1, text: heading[2] ?? "" });
      index++;
      continue;
    }
    const bullet = /^\s*([-*+]|\d+[.)])\s+/;
    const first = bullet.exec(line);
    if (first) {
      const ordered = /\d/.test(first[1] ?? "");
      const items: string[] = [];
      while (index < lines.length) {
        const match = bullet.exec(lines[index] ?? "");
        if (!match) break;
        items.push((lines[index] ?? "").slice(match[0].length));
        index++;
      }
      out.push({ kind: "list", ordered, items });
      continue;
    }
    if (line.startsWith(">")) {
      const quoted: string[] = [];
      while (index < lines.length && (lines[index] ?? "").startsWith(">")) {
        quoted.push((lines[index] ?? "").replace(/^>\s?/, ""));
        index++;
      }
      out.push({ kind: "quote", lines: quoted });
      continue;
    }
    const paragraph: string[] = [];
    while (index < lines.length) {
      const next = lines[index] ?? "";
      if (next.trim() === "" || /^(#{1,6})\s/.test(next) || bullet.test(next) || next.startsWith(">")) break;
      if (next.trimStart().startsWith("```")) break;
      paragraph.push(next);
      index++;
    }
    out.push({ kind: "paragraph", lines: paragraph });
  }
  return out;
}

const HEADING_CLASS = "font-semibold text-slate-900";

function blocks(source: string): ReactNode[] {
  return parse(source).map((block, key) => {
    switch (block.kind) {
      case "heading":
        // Notes sit inside a page with its own headings: every level renders as a bold line.
        return (
          <p key={key} className={`${HEADING_CLASS} ${block.level <= 2 ? "text-base" : "text-sm"}`}>
            {inline(block.text)}
          </p>
        );
      case "list": {
        const items = block.items.map((item, i) => <li key={i}>{inline(item)}</li>);
        return block.ordered ? (
          <ol key={key} className="list-decimal space-y-0.5 pl-5">
            {items}
          </ol>
        ) : (
          <ul key={key} className="list-disc space-y-0.5 pl-5">
            {items}
          </ul>
        );
      }
      case "quote":
        return (
          <blockquote key={key} className="border-l-2 border-slate-300 pl-3 text-slate-600">
            {withBreaks(block.lines)}
          </blockquote>
        );
      case "code":
        return (
          <pre key={key} className="overflow-x-auto rounded-lg bg-slate-100 px-3 py-2 font-mono text-xs text-slate-800">
            <code>{block.text}</code>
          </pre>
        );
      default:
        return <p key={key}>{withBreaks(block.lines)}</p>;
    }
  });
}

function withBreaks(lines: string[]): ReactNode[] {
  return lines.flatMap((line, i) => (i === 0 ? [inline(line, `${i}`)] : [<br key={`br${i}`} />, inline(line, `${i}`)]));
}

/** `**bold**`, `*italic*` / `_italic_`, `` `code` `` and `[text](url)`, everything else as text. */
const INLINE =
  /(`[^`]+`)|(\*\*[^*]+\*\*)|(\*[^*\s][^*]*\*|_[^_\s][^_]*_)|(\[[^\]]+\]\([^)\s]+\))|(https?:\/\/[^\s<>()]+)/g;

function inline(text: string, keyPrefix = ""): ReactNode {
  const parts: ReactNode[] = [];
  let last = 0;
  for (const match of text.matchAll(INLINE)) {
    const start = match.index ?? 0;
    if (start > last) parts.push(text.slice(last, start));
    const token = match[0];
    const key = `${keyPrefix}-${start}`;
    if (match[1]) {
      parts.push(
        <code key={key} className="rounded bg-slate-100 px-1 py-0.5 font-mono text-[0.8125rem] text-slate-800">
          {token.slice(1, -1)}
        </code>,
      );
    } else if (match[2]) {
      parts.push(
        <strong key={key} className="font-semibold text-slate-900">
          {inline(token.slice(2, -2), key)}
        </strong>,
      );
    } else if (match[3]) {
      parts.push(<em key={key}>{inline(token.slice(1, -1), key)}</em>);
    } else if (match[4]) {
      const link = /^\[([^\]]+)\]\(([^)\s]+)\)$/.exec(token);
      parts.push(<SafeLink key={key} href={link?.[2] ?? ""} label={link?.[1] ?? token} />);
    } else {
      parts.push(<SafeLink key={key} href={token} label={token} />);
    }
    last = start + token.length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}

function safeHref(href: string): string | null {
  try {
    const url = new URL(href);
    return ["http:", "https:", "mailto:"].includes(url.protocol) ? url.toString() : null;
  } catch {
    return null;
  }
}

function SafeLink({ href, label }: { href: string; label: string }) {
  const safe = safeHref(href);
  if (!safe) return <>{label}</>;
  return (
    <a
      href={safe}
      target="_blank"
      rel="noopener noreferrer nofollow"
      className="rounded-sm font-medium text-indigo-600 underline decoration-indigo-300 underline-offset-2 hover:text-indigo-500 focus-visible:outline-2 focus-visible:outline-indigo-600"
    >
      {label}
    </a>
  );
}
