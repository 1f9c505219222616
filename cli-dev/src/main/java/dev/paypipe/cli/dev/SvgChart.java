package dev.paypipe.cli.dev;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One chart over time as inline SVG, for the demo's {@link HtmlReport}: line series (each a {@code <path>} whose id is
 * {@code series-<id>}; a negative or NaN value breaks the line), horizontal limit lines ({@code <line id=...>}),
 * shaded time bands behind the plot, or, instead of series, lanes of coloured stretches ({@code <rect>}s with the
 * class {@code lane-<id>}). The x axis is seconds since the run's start; the y axis linear or logarithmic.
 */
final class SvgChart {
    private static final int WIDTH = 1340;
    private static final int LEFT = 130;
    private static final int RIGHT = 200;
    private static final int TOP = 12;
    private static final int BOTTOM = 28;
    private static final int LANE_HEIGHT = 26;

    private record Series(String id, String label, String color, double[] xs, double[] ys, boolean dashed) {
    }

    private record Rule(String id, String label, String color, double y) {
    }

    private record Band(String cssClass, String color, List<RunTimeline.Period> periods) {
    }

    private record Lane(String id, String label, String color, List<RunTimeline.Period> periods) {
    }

    private final String id;
    private final double xMax;
    private final boolean logY;
    private final int height;
    private final List<Series> series = new ArrayList<>();
    private final List<Rule> rules = new ArrayList<>();
    private final List<Band> bands = new ArrayList<>();
    private final List<Lane> lanes = new ArrayList<>();

    /**
     * @param id the {@code <svg>}'s id
     * @param xMax the run's length in seconds (the x axis runs from 0 to it)
     * @param logY a logarithmic y axis (for latencies that span decades)
     * @param height the chart's height in pixels, axes included
     */
    SvgChart(String id, double xMax, boolean logY, int height) {
        this.id = id;
        this.xMax = Math.max(1, xMax);
        this.logY = logY;
        this.height = height;
    }

    SvgChart series(String seriesId, String label, String color, double[] xs, double[] ys, boolean dashed) {
        if (xs.length != ys.length) {
            throw new IllegalArgumentException("series " + seriesId + ": " + xs.length + " times but " + ys.length
                    + " values");
        }
        series.add(new Series(seriesId, label, color, xs, ys, dashed));
        return this;
    }

    /** A horizontal line at {@code y} across the plot, e.g. a cap. */
    SvgChart rule(String ruleId, String label, String color, double y) {
        rules.add(new Rule(ruleId, label, color, y));
        return this;
    }

    /** Full-height shading of {@code periods} behind the plot. */
    SvgChart band(String cssClass, String color, List<RunTimeline.Period> periods) {
        bands.add(new Band(cssClass, color, periods));
        return this;
    }

    /** A lane of coloured stretches; a chart with lanes shows no series. */
    SvgChart lane(String laneId, String label, String color, List<RunTimeline.Period> periods) {
        lanes.add(new Lane(laneId, label, color, periods));
        return this;
    }

    String render() {
        int plotHeight = lanes.isEmpty() ? height - TOP - BOTTOM : lanes.size() * LANE_HEIGHT;
        int total = plotHeight + TOP + BOTTOM;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg id=\"%s\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
                + "height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", id, WIDTH,
                total, WIDTH, total));
        for (Band band : bands) {
            for (RunTimeline.Period p : band.periods()) {
                svg.append(String.format(Locale.ROOT, "<rect class=\"band %s\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" "
                        + "height=\"%d\" fill=\"%s\"/>%n", band.cssClass(), x(p.from()), TOP, width(p), plotHeight,
                        band.color()));
            }
        }
        xAxis(svg, plotHeight);
        if (lanes.isEmpty()) {
            Scale scale = scale();
            yAxis(svg, scale, plotHeight);
            for (Series s : series) {
                svg.append(String.format(Locale.ROOT, "<path id=\"series-%s\" d=\"%s\" fill=\"none\" stroke=\"%s\" "
                        + "stroke-width=\"2\"%s/>%n", s.id(), path(s, scale, plotHeight), s.color(),
                        s.dashed() ? " stroke-dasharray=\"5 3\"" : ""));
            }
            for (Rule rule : rules) { // over the series: a series running at the limit must not hide it
                double y = scale.y(rule.y(), plotHeight);
                svg.append(String.format(Locale.ROOT, "<line id=\"%s\" x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" "
                        + "stroke=\"%s\" stroke-width=\"2\" stroke-dasharray=\"8 4\"/>%n", rule.id(), LEFT,
                        WIDTH - RIGHT, y, y, rule.color()));
            }
            legend(svg);
        } else {
            lanes(svg);
        }
        return svg.append("</svg>\n").toString();
    }

    private void lanes(StringBuilder svg) {
        for (int i = 0; i < lanes.size(); i++) {
            Lane lane = lanes.get(i);
            int y = TOP + i * LANE_HEIGHT;
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n", LEFT - 6,
                    y + LANE_HEIGHT / 2 + 4, HtmlReport.escape(lane.label())));
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#f4f4f5\"/>%n",
                    LEFT, y + 3, WIDTH - LEFT - RIGHT, LANE_HEIGHT - 6));
            for (RunTimeline.Period p : lane.periods()) {
                svg.append(String.format(Locale.ROOT, "<rect class=\"lane-%s\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" "
                        + "height=\"%d\" fill=\"%s\"><title>%s: %.0f s to %.0f s</title></rect>%n", lane.id(),
                        x(p.from()), y + 3, width(p), LANE_HEIGHT - 6, lane.color(), HtmlReport.escape(lane.label()),
                        p.from(), p.to()));
            }
        }
    }

    private void legend(StringBuilder svg) {
        int y = TOP + 10;
        List<String[]> entries = new ArrayList<>();
        series.forEach(s -> entries.add(new String[] {s.label(), s.color(), s.dashed() ? "5 3" : ""}));
        rules.forEach(r -> entries.add(new String[] {r.label(), r.color(), "8 4"}));
        for (String[] e : entries) {
            int x = WIDTH - RIGHT + 14;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"%s\" "
                    + "stroke-width=\"3\"%s/><text x=\"%d\" y=\"%d\">%s</text>%n", x, x + 22, y, y, e[1],
                    e[2].isEmpty() ? "" : " stroke-dasharray=\"" + e[2] + "\"", x + 28, y + 4, HtmlReport.escape(e[0])));
            y += 18;
        }
    }

    private void xAxis(StringBuilder svg, int plotHeight) {
        int bottom = TOP + plotHeight;
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"#71717a\"/>%n",
                LEFT, WIDTH - RIGHT, bottom, bottom));
        double step = niceStep(xMax / 12);
        for (double t = 0; t <= xMax + 1e-9; t += step) {
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"#71717a\"/>"
                    + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#52525b\">%s s</text>%n", x(t), x(t),
                    bottom, bottom + 4, x(t), bottom + 17, label(t)));
        }
    }

    private void yAxis(StringBuilder svg, Scale scale, int plotHeight) {
        for (double v : scale.ticks()) {
            double y = scale.y(v, plotHeight);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#e4e4e7\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" fill=\"#52525b\">%s</text>%n", LEFT, WIDTH - RIGHT,
                    y, y, LEFT - 6, y + 4, label(v)));
        }
    }

    private String path(Series s, Scale scale, int plotHeight) {
        StringBuilder d = new StringBuilder();
        boolean pen = false;
        for (int i = 0; i < s.xs().length; i++) {
            double v = s.ys()[i];
            if (Double.isNaN(v) || v < 0 || (logY && v <= 0)) {
                pen = false;
                continue;
            }
            d.append(d.length() == 0 ? "" : " ").append(pen ? 'L' : 'M').append(String.format(Locale.ROOT,
                    "%.1f %.1f", x(s.xs()[i]), scale.y(v, plotHeight)));
            pen = true;
        }
        return d.toString();
    }

    /** The y range: 0 (or the lowest decade, on a log axis) up to a round number above every value and rule. */
    private Scale scale() {
        double max = 0;
        double min = Double.MAX_VALUE;
        for (Series s : series) {
            for (double v : s.ys()) {
                if (v > 0 && !Double.isNaN(v)) {
                    max = Math.max(max, v);
                    min = Math.min(min, v);
                }
            }
        }
        for (Rule r : rules) {
            max = Math.max(max, r.y());
        }
        if (logY) {
            double lo = Math.pow(10, Math.floor(Math.log10(min == Double.MAX_VALUE ? 1 : Math.max(1, min))));
            double hi = Math.pow(10, Math.ceil(Math.log10(Math.max(lo * 10, max))));
            List<Double> ticks = new ArrayList<>();
            for (double t = lo; t <= hi * 1.0001; t *= 10) {
                ticks.add(t);
            }
            return new Scale(lo, hi, true, ticks);
        }
        double step = Math.max(1, niceStep(Math.max(max * 1.1, 1) / 5)); // counts: whole ticks
        double hi = Math.ceil(Math.max(max * 1.1, 1) / step) * step;
        List<Double> ticks = new ArrayList<>();
        for (double t = 0; t <= hi + 1e-9; t += step) {
            ticks.add(t);
        }
        return new Scale(0, hi, false, ticks);
    }

    private record Scale(double lo, double hi, boolean log, List<Double> ticks) {
        double y(double v, int plotHeight) {
            double share = log ? (Math.log10(Math.max(v, lo)) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))
                    : (v - lo) / (hi - lo);
            return TOP + plotHeight * (1 - Math.max(0, Math.min(1, share)));
        }
    }

    private double x(double seconds) {
        return LEFT + (WIDTH - LEFT - RIGHT) * Math.max(0, Math.min(1, seconds / xMax));
    }

    private double width(RunTimeline.Period p) {
        return Math.max(1, x(p.to()) - x(p.from()));
    }

    /** 1, 2 or 5 times a power of ten, at least {@code raw}. */
    static double niceStep(double raw) {
        double power = Math.pow(10, Math.floor(Math.log10(Math.max(raw, 1e-9))));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * power >= raw) {
                return m * power;
            }
        }
        return 10 * power;
    }

    private static String label(double v) {
        if (v >= 10_000) {
            return String.format(Locale.ROOT, "%.0fk", v / 1000);
        }
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }
}
