package org.valueimprint.report;

import static org.valueimprint.report.HtmlPage.escape;

import java.util.List;
import java.util.Locale;

/**
 * Inline SVG charts drawn in Java, for the HTML writers: horizontal grouped bars with interval whiskers, and dot
 * plots with intervals around a reference line. Every chart has a {@code <title>} and a {@code <desc>}, every mark
 * its own {@code <title>} (a tooltip naming the category, the series and the numbers), and the series differ by fill
 * pattern and marker shape as well as by colour, so that no chart needs colour to be read. Everything from data is
 * escaped.
 */
final class SvgCharts {
    private static final int WIDTH = 860;
    private static final int LABEL_WIDTH = 250;
    private static final int PLOT_X = LABEL_WIDTH + 12;
    private static final int RIGHT_MARGIN = 64;
    private static final int PLOT_WIDTH = WIDTH - PLOT_X - RIGHT_MARGIN;
    private static final int LEGEND_HEIGHT = 30;
    private static final int AXIS_HEIGHT = 26;
    private static final int MAX_LABEL_CHARS = 38;

    private SvgCharts() {}

    /**
     * One bar: a share with its interval, all in [0, 1].
     *
     * @param value the bar's length
     * @param low the interval's lower bound
     * @param high its upper bound
     * @param tooltip what the bar's title says
     * @param key a stable key for the bar ({@code data-value}), such as the value id
     */
    record Bar(double value, double low, double high, String tooltip, String key) {}

    /**
     * A series of bars, one per category.
     *
     * @param key a stable key ({@code data-series}), such as {@code chosen}
     * @param name the legend's text
     * @param style the index of the colour and pattern
     * @param bars one bar per category, in category order
     */
    record Series(String key, String name, int style, List<Bar> bars) {}

    /**
     * One point of a dot plot: a number with an optional interval (NaN bounds for none).
     *
     * @param value the point
     * @param low the interval's lower bound, or NaN
     * @param high its upper bound, or NaN
     * @param shape 0 circle, 1 diamond, 2 square, 3 triangle
     * @param tooltip what the point's title says
     */
    record Point(double value, double low, double high, int shape, String tooltip) {}

    /**
     * A row of a dot plot.
     *
     * @param label the row's label
     * @param points its points (drawn one under the other)
     * @param note printed instead when there is no point
     */
    record DotRow(String label, List<Point> points, String note) {}

    /**
     * A legend entry of a dot plot.
     *
     * @param name its text
     * @param shape the marker shape
     * @param withInterval whether the marker is drawn with a whisker
     */
    record Marker(String name, int shape, boolean withInterval) {}

    /**
     * Horizontal bars grouped by category, one bar per series in each group, each with its interval as a whisker and
     * its value printed at the end. The axis runs from 0 to a round number above the highest interval bound.
     *
     * @param id the chart's element id (bars carry {@code class="bar"}; count them inside this id)
     * @param title the chart's title
     * @param description a sentence saying what the chart shows
     * @param categories the category labels, top to bottom
     */
    static String groupedBars(String id, String title, String description, List<String> categories,
            List<Series> series) {
        int perGroup = series.size();
        int barHeight = perGroup > 3 ? 11 : 15;
        int groupHeight = perGroup * barHeight + (perGroup - 1) * 2 + 14;
        int height = LEGEND_HEIGHT + categories.size() * groupHeight + AXIS_HEIGHT;
        double max = 0;
        for (Series s : series) {
            for (Bar b : s.bars()) {
                max = Math.max(max, Math.max(b.value(), b.high()));
            }
        }
        double[] axis = axis(max);
        double axisMax = axis[0];
        double step = axis[1];

        StringBuilder b = open(id, title, description, height);
        b.append("<defs>");
        for (Series s : series) {
            b.append(pattern(id, s.style()));
        }
        b.append("</defs>\n");
        // legend
        int lx = PLOT_X;
        for (Series s : series) {
            b.append(String.format(Locale.ROOT,
                    "<rect x=\"%d\" y=\"8\" width=\"16\" height=\"12\" fill=\"%s\" stroke=\"%s\"/>", lx,
                    fill(id, s.style()), colour(s.style())));
            b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"18\">%s</text>\n", lx + 21,
                    escape(s.name())));
            lx += 36 + 7 * s.name().length();
        }
        // grid and ticks
        int plotTop = LEGEND_HEIGHT;
        int plotBottom = height - AXIS_HEIGHT;
        for (double t = 0; t <= axisMax + 1e-9; t += step) {
            double x = x(t, axisMax);
            b.append(String.format(Locale.ROOT,
                    "<line class=\"axis\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>", x, plotTop, x, plotBottom));
            b.append(String.format(Locale.ROOT,
                    "<text class=\"tick\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n", x,
                    plotBottom + 16, tickPercent(t, step)));
        }
        // groups
        for (int c = 0; c < categories.size(); c++) {
            int top = plotTop + c * groupHeight + 7;
            String label = categories.get(c);
            int mid = top + (perGroup * barHeight + (perGroup - 1) * 2) / 2;
            b.append(String.format(Locale.ROOT,
                    "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" dominant-baseline=\"middle\">%s<title>%s</title>"
                            + "</text>\n", LABEL_WIDTH, mid, escape(shorten(label)), escape(label)));
            for (int si = 0; si < perGroup; si++) {
                Series s = series.get(si);
                Bar bar = s.bars().get(c);
                int y = top + si * (barHeight + 2);
                double x0 = x(0, axisMax);
                double width = Math.max(0, x(bar.value(), axisMax) - x0);
                b.append(String.format(Locale.ROOT,
                        "<rect class=\"bar\" data-series=\"%s\" data-value=\"%s\" x=\"%.1f\" y=\"%d\" width=\"%.1f\""
                                + " height=\"%d\" fill=\"%s\" stroke=\"%s\"><title>%s</title></rect>",
                        escape(s.key()), escape(bar.key()), x0, y, width, barHeight, fill(id, s.style()),
                        colour(s.style()), escape(bar.tooltip())));
                double wl = x(bar.low(), axisMax);
                double wh = x(bar.high(), axisMax);
                double wy = y + barHeight / 2.0;
                b.append(String.format(Locale.ROOT,
                        "<g class=\"whisker\"><line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>"
                                + "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>"
                                + "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/></g>",
                        wl, wy, wh, wy, wl, wy - 4, wl, wy + 4, wh, wy - 4, wh, wy + 4));
                b.append(String.format(Locale.ROOT,
                        "<text x=\"%.1f\" y=\"%.1f\" dominant-baseline=\"middle\">%s</text>\n",
                        Math.max(wh, x(bar.value(), axisMax)) + 5, wy, Formats.percent(bar.value())));
            }
        }
        return b.append("</svg>\n").toString();
    }

    /**
     * A dot plot: per row its points with interval whiskers, on an axis from {@code min} to {@code max} with a dashed
     * reference line.
     *
     * @param signedPoints whether ticks print as signed percentage points (differences) rather than percentages
     */
    static String dotPlot(String id, String title, String description, List<DotRow> rows, double min, double max,
            double reference, String referenceLabel, List<Marker> legend, boolean signedPoints) {
        int rowHeight = 10 + 10 * Math.max(1, rows.stream().mapToInt(r -> r.points().size()).max().orElse(1));
        int height = LEGEND_HEIGHT + rows.size() * rowHeight + AXIS_HEIGHT + 4;
        StringBuilder b = open(id, title, description, height);
        int lx = PLOT_X;
        for (Marker m : legend) {
            if (m.withInterval()) {
                b.append(String.format(Locale.ROOT,
                        "<line class=\"whisker\" x1=\"%d\" y1=\"14\" x2=\"%d\" y2=\"14\"/>", lx - 2, lx + 14));
            }
            b.append(shape(m.shape(), lx + 6, 14, "legend"));
            b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"18\">%s</text>\n", lx + 20, escape(m.name())));
            lx += 40 + 7 * m.name().length();
        }
        int plotTop = LEGEND_HEIGHT;
        int plotBottom = height - AXIS_HEIGHT;
        double span = max - min;
        double step = niceStep(span / 6);
        for (double t = Math.ceil(min / step - 1e-9) * step; t <= max + 1e-9; t += step) {
            double x = PLOT_X + (t - min) / span * PLOT_WIDTH;
            b.append(String.format(Locale.ROOT,
                    "<line class=\"axis\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>", x, plotTop, x, plotBottom));
            String tick = signedPoints ? signedTick(t, step) : tickPercent(t, step);
            b.append(String.format(Locale.ROOT,
                    "<text class=\"tick\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n", x,
                    plotBottom + 16, tick));
        }
        double rx = PLOT_X + (reference - min) / span * PLOT_WIDTH;
        b.append(String.format(Locale.ROOT,
                "<line class=\"ref\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"><title>%s</title></line>\n", rx,
                plotTop, rx, plotBottom, escape(referenceLabel)));
        for (int r = 0; r < rows.size(); r++) {
            DotRow row = rows.get(r);
            int top = plotTop + r * rowHeight;
            int mid = top + rowHeight / 2;
            b.append(String.format(Locale.ROOT,
                    "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" dominant-baseline=\"middle\">%s<title>%s</title>"
                            + "</text>\n", LABEL_WIDTH, mid, escape(shorten(row.label())), escape(row.label())));
            if (row.points().isEmpty()) {
                b.append(String.format(Locale.ROOT,
                        "<text class=\"tick\" x=\"%d\" y=\"%d\" dominant-baseline=\"middle\">%s</text>\n", PLOT_X + 6,
                        mid, escape(row.note())));
                continue;
            }
            int n = row.points().size();
            for (int i = 0; i < n; i++) {
                Point p = row.points().get(i);
                double y = mid + (i - (n - 1) / 2.0) * 10;
                if (!Double.isNaN(p.low())) {
                    double a = PLOT_X + (clamp(p.low(), min, max) - min) / span * PLOT_WIDTH;
                    double c = PLOT_X + (clamp(p.high(), min, max) - min) / span * PLOT_WIDTH;
                    b.append(String.format(Locale.ROOT,
                            "<g class=\"whisker\"><line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>"
                                    + "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>"
                                    + "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/></g>",
                            a, y, c, y, a, y - 3, a, y + 3, c, y - 3, c, y + 3));
                }
                double px = PLOT_X + (clamp(p.value(), min, max) - min) / span * PLOT_WIDTH;
                b.append("<g class=\"point\">").append(shape(p.shape(), px, y, "mark"))
                        .append("<title>").append(escape(p.tooltip())).append("</title></g>\n");
            }
        }
        return b.append("</svg>\n").toString();
    }

    private static StringBuilder open(String id, String title, String description, int height) {
        StringBuilder b = new StringBuilder(8192);
        String sid = escape(id);
        b.append(String.format(Locale.ROOT,
                "<svg id=\"%s\" class=\"chart\" role=\"img\" aria-labelledby=\"%s-title %s-desc\" viewBox=\"0 0 %d %d\""
                        + " width=\"%d\" height=\"%d\">\n<title id=\"%s-title\">%s</title>\n<desc id=\"%s-desc\">%s"
                        + "</desc>\n",
                sid, sid, sid, WIDTH, height, WIDTH, height, sid, escape(title), sid, escape(description)));
        return b;
    }

    private static String shape(int shape, double x, double y, String cls) {
        String style = "class=\"" + cls + "\" fill=\"" + (shape % 2 == 0 ? "#111827" : "#ffffff")
                + "\" stroke=\"#111827\" stroke-width=\"1.5\"";
        return switch (Math.floorMod(shape, 4)) {
            case 0 -> String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4.5\" %s/>", x, y, style);
            case 1 -> String.format(Locale.ROOT,
                    "<polygon points=\"%.1f,%.1f %.1f,%.1f %.1f,%.1f %.1f,%.1f\" %s/>", x, y - 5.5, x + 5.5, y, x,
                    y + 5.5, x - 5.5, y, style);
            case 2 -> String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"8\" height=\"8\" %s/>",
                    x - 4, y - 4, style);
            default -> String.format(Locale.ROOT, "<polygon points=\"%.1f,%.1f %.1f,%.1f %.1f,%.1f\" %s/>", x,
                    y - 5.5, x + 5.5, y + 4.5, x - 5.5, y + 4.5, style);
        };
    }

    /** The fill of a series: its colour, plain or as a pattern (hatched, dotted, lined) that tells it apart. */
    private static String fill(String chartId, int style) {
        return Math.floorMod(style, 4) == 0 ? colour(style) : "url(#" + escape(chartId) + "-p" + style + ")";
    }

    private static String pattern(String chartId, int style) {
        String c = colour(style);
        String pid = escape(chartId) + "-p" + style;
        return switch (Math.floorMod(style, 4)) {
            case 0 -> "";
            case 1 -> "<pattern id=\"" + pid + "\" patternUnits=\"userSpaceOnUse\" width=\"6\" height=\"6\""
                    + " patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"" + c
                    + "\" fill-opacity=\"0.35\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"" + c
                    + "\" stroke-width=\"3\"/></pattern>";
            case 2 -> "<pattern id=\"" + pid + "\" patternUnits=\"userSpaceOnUse\" width=\"5\" height=\"5\">"
                    + "<rect width=\"5\" height=\"5\" fill=\"" + c + "\" fill-opacity=\"0.3\"/><circle cx=\"2.5\""
                    + " cy=\"2.5\" r=\"1.4\" fill=\"" + c + "\"/></pattern>";
            default -> "<pattern id=\"" + pid + "\" patternUnits=\"userSpaceOnUse\" width=\"6\" height=\"4\">"
                    + "<rect width=\"6\" height=\"4\" fill=\"" + c + "\" fill-opacity=\"0.3\"/><line x1=\"0\""
                    + " y1=\"2\" x2=\"6\" y2=\"2\" stroke=\"" + c + "\" stroke-width=\"1.6\"/></pattern>";
        };
    }

    private static String colour(int style) {
        return HtmlPage.COLOURS[Math.floorMod(style, HtmlPage.COLOURS.length)];
    }

    private static double x(double value, double axisMax) {
        return PLOT_X + clamp(value, 0, axisMax) / axisMax * PLOT_WIDTH;
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    /** {axis maximum, tick step} for shares up to {@code max}: a round number of at most 8 steps, within 100%. */
    static double[] axis(double max) {
        double[] steps = {0.01, 0.02, 0.05, 0.1, 0.2};
        for (double step : steps) {
            double top = Math.max(1, Math.ceil(max / step - 1e-9)) * step;
            if (top / step <= 8 + 1e-9) {
                return new double[] {Math.min(1, top), step};
            }
        }
        return new double[] {1, 0.2};
    }

    private static double niceStep(double raw) {
        double[] steps = {0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5};
        for (double s : steps) {
            if (s >= raw) {
                return s;
            }
        }
        return 1;
    }

    private static String tickPercent(double t, double step) {
        return step < 0.01 ? Formats.percent(t) : Math.round(100 * t) + "%";
    }

    private static String signedTick(double t, double step) {
        long v = Math.round(100 * t);
        return (v > 0 ? "+" : "") + v + " pp";
    }

    private static String shorten(String label) {
        return label.length() <= MAX_LABEL_CHARS ? label : label.substring(0, MAX_LABEL_CHARS - 1).strip() + "…";
    }
}
