package org.valueimprint.report;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A self-contained HTML page being written: the document head (a Content-Security-Policy that blocks every request,
 * inline CSS, an empty {@code data:} icon so the browser asks for no favicon) and a body appended piece by piece.
 * Everything that comes from data goes through {@link #escape(String)}.
 */
final class HtmlPage {
    /**
     * The policy of every page: nothing may be loaded from anywhere (no scripts at all, no fonts, no frames, no
     * connections), except inline styles and {@code data:} images. An accidental external reference is blocked and
     * shows as a console error.
     */
    static final String CONTENT_SECURITY_POLICY =
            "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

    /** The series colours: blue, amber, green, violet, red, cyan, olive, pink (distinguishable in print too). */
    static final String[] COLOURS = {
        "#2563eb", "#d97706", "#059669", "#7c3aed", "#dc2626", "#0891b2", "#65a30d", "#db2777"};

    private static final Pattern URL_SCHEME = Pattern.compile("(?i)(https?|ftp|wss?)(:)(?=//)");

    private static final String CSS = """
            :root { --fg: #1f2937; --muted: #6b7280; --line: #d1d5db; --soft: #f3f4f6; }
            * { box-sizing: border-box; }
            body { margin: 0; color: var(--fg); background: #fff;
              font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
            main { max-width: 1100px; margin: 0 auto; padding: 24px 28px 48px; }
            h1 { font-size: 26px; margin: 0 0 6px; overflow-wrap: anywhere; }
            h2 { font-size: 20px; margin: 36px 0 10px; padding-bottom: 4px; border-bottom: 2px solid var(--line); }
            h3 { font-size: 16px; margin: 22px 0 8px; }
            p { margin: 6px 0; }
            .meta { color: var(--muted); }
            .meta b { color: var(--fg); font-weight: 600; }
            nav { margin: 14px 0 4px; font-size: 14px; }
            nav a { margin-right: 14px; color: #1d4ed8; }
            .cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 16px 0 6px; }
            .card { flex: 1 1 150px; background: var(--soft); border-radius: 8px; padding: 10px 14px; }
            .card .k { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
            .card .v { font-size: 20px; font-weight: 600; overflow-wrap: anywhere; }
            table { border-collapse: collapse; margin: 8px 0 14px; font-size: 14px; }
            caption { text-align: left; font-weight: 600; padding: 4px 0; }
            th, td { border: 1px solid var(--line); padding: 4px 8px; vertical-align: top; }
            thead th { background: var(--soft); text-align: left; }
            tbody th { text-align: left; font-weight: 500; }
            td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
            tr.total th, tr.total td { font-style: italic; color: var(--muted); }
            .note { color: var(--muted); font-size: 13px; max-width: 900px; }
            .warn { background: #fef3c7; border-left: 4px solid #d97706; padding: 6px 10px; margin: 8px 0; }
            figure { margin: 10px 0 6px; }
            figcaption { font-size: 13px; color: var(--muted); }
            svg { display: block; max-width: 100%; height: auto; font-size: 12px;
              font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
            svg text { fill: var(--fg); }
            svg .axis { stroke: var(--line); stroke-width: 1; }
            svg .ref { stroke: #374151; stroke-width: 1; stroke-dasharray: 4 3; }
            svg .whisker { stroke: #111827; stroke-width: 1.3; }
            svg .tick { fill: var(--muted); }
            div.wide { max-width: 100%; overflow-x: auto; }
            #sources th.num { white-space: normal; overflow-wrap: anywhere; min-width: 88px; vertical-align: bottom; }
            #sources td.num span.ci { display: block; font-size: 12px; color: var(--muted); }
            table.joint td { text-align: right; font-variant-numeric: tabular-nums; min-width: 52px; }
            table.joint td.diag { outline: 2px solid #111827; outline-offset: -3px; }
            table.joint thead th { font-size: 12px; max-width: 110px; vertical-align: bottom; overflow-wrap: anywhere; }
            details { margin: 6px 0; border: 1px solid var(--line); border-radius: 6px; padding: 4px 10px; }
            summary { cursor: pointer; font-weight: 600; }
            .example { margin: 8px 0 12px; }
            .example .who { font-size: 13px; color: var(--muted); overflow-wrap: anywhere; }
            blockquote.excerpt { margin: 4px 0 0; padding: 6px 10px; background: var(--soft);
              border-left: 3px solid var(--line); white-space: pre-wrap; overflow-wrap: anywhere; font-size: 14px; }
            dl.kv { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; font-size: 14px; }
            dl.kv dt { color: var(--muted); }
            dl.kv dd { margin: 0; overflow-wrap: anywhere; }
            code { font-size: 13px; overflow-wrap: anywhere; }
            footer { margin-top: 40px; color: var(--muted); font-size: 12px; }
            @media print { nav { display: none; } details { border: none; } }
            """;

    private final StringBuilder out = new StringBuilder(64 * 1024);

    /** Starts a page with this title (escaped here). */
    HtmlPage(String title) {
        out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"").append(CONTENT_SECURITY_POLICY)
                .append("\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<meta name=\"referrer\" content=\"no-referrer\">\n")
                .append("<meta name=\"generator\" content=\"Value Imprint for Java\">\n")
                .append("<link rel=\"icon\" href=\"data:,\">\n")
                .append("<title>").append(escape(title)).append("</title>\n")
                .append("<style>\n").append(CSS).append("</style>\n</head>\n<body>\n<main>\n");
    }

    /** Appends markup as it is: only for markup built here, never for data. */
    HtmlPage raw(String html) {
        out.append(html);
        return this;
    }

    /** Appends escaped text. */
    HtmlPage text(String text) {
        out.append(escape(text));
        return this;
    }

    /** Appends {@code <tag attributes>escaped text</tag>}. */
    HtmlPage element(String tag, String attributes, String text) {
        out.append('<').append(tag).append(attributes.isEmpty() ? "" : " " + attributes).append('>')
                .append(escape(text)).append("</").append(tag).append(">\n");
        return this;
    }

    /** Closes the page and returns it. */
    String finish(String footer) {
        out.append("<footer>").append(escape(footer)).append("</footer>\n</main>\n</body>\n</html>\n");
        return out.toString();
    }

    /**
     * Escapes text for HTML content and quoted attribute values: {@code & < > " '} become character references,
     * control characters other than tab and line breaks are dropped, and the colon of a URL scheme
     * ({@code https://...}) becomes {@code &#58;} so that no URL appears literally in the file (it still reads as
     * {@code https://...} on the page, and is never a link).
     */
    static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> {
                    if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' || c == 0x7f) {
                        continue;
                    }
                    b.append(c);
                }
            }
        }
        Matcher m = URL_SCHEME.matcher(b);
        return m.find() ? m.replaceAll("$1&#58;") : b.toString();
    }

    /** A CSS-safe identifier made from any text: lower-case letters, digits and hyphens. */
    static String slug(String s) {
        String x = s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-+|-+$)", "");
        return x.isEmpty() ? "x" : x;
    }
}
