package dev.gpuplan.cli;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;

import dev.gpuplan.analysis.Frontier;

/** The frontier as a self-contained SVG: labelled axes, the curve, each point marked with its added runs as a tooltip. */
final class FrontierSvg {

    private static final int WIDTH = 760;
    private static final int HEIGHT = 460;
    private static final int LEFT = 90;
    private static final int RIGHT = 30;
    private static final int TOP = 50;
    private static final int BOTTOM = 70;
    private static final int TICKS = 5;

    private FrontierSvg() {
    }

    static String render(List<Frontier.Point> points, String title) {
        double minX = points.get(0).budgetGpuHours().doubleValue();
        double maxX = points.get(points.size() - 1).budgetGpuHours().doubleValue();
        double maxY = points.stream().map(Frontier.Point::expectedValue).mapToDouble(BigDecimal::doubleValue).max().orElse(1);
        if (maxX == minX) {
            maxX = minX + 1;
        }
        if (maxY <= 0) {
            maxY = 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(maxY)));
        maxY = Math.ceil(maxY / magnitude) * magnitude; // a round top for the value axis
        double plotWidth = WIDTH - LEFT - RIGHT;
        double plotHeight = HEIGHT - TOP - BOTTOM;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                + "font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, HEIGHT, WIDTH, HEIGHT));
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"28\" font-size=\"16\" font-weight=\"bold\">Expected value vs GPU-hour budget: %s</text>%n",
                LEFT, escape(title)));
        // axes
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n", LEFT, HEIGHT - BOTTOM, WIDTH - RIGHT, HEIGHT - BOTTOM));
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n", LEFT, TOP, LEFT, HEIGHT - BOTTOM));
        // budget ticks at the points themselves when there are few, else evenly spaced
        int xTicks = points.size() <= 12 ? points.size() - 1 : TICKS;
        for (int i = 0; i <= xTicks; i++) {
            double xValue = points.size() <= 12 ? points.get(i).budgetGpuHours().doubleValue() : minX + (maxX - minX) * i / TICKS;
            double x = LEFT + plotWidth * (xValue - minX) / (maxX - minX);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"black\"/>"
                    + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", x, HEIGHT - BOTTOM, x, HEIGHT - BOTTOM + 5, x,
                    HEIGHT - BOTTOM + 20, number(xValue)));
        }
        for (int i = 0; i <= TICKS; i++) {
            double yValue = maxY * i / TICKS;
            double y = HEIGHT - BOTTOM - plotHeight * i / TICKS;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", LEFT, y, WIDTH - RIGHT, y, LEFT - 8, y + 4, number(yValue)));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">Budget (GPU-hours)</text>%n",
                LEFT + plotWidth / 2, HEIGHT - 25));
        svg.append(String.format(Locale.ROOT, "<text x=\"20\" y=\"%.1f\" text-anchor=\"middle\" transform=\"rotate(-90 20 %.1f)\">Expected value</text>%n",
                TOP + plotHeight / 2, TOP + plotHeight / 2));
        // curve and points
        StringBuilder line = new StringBuilder();
        StringBuilder marks = new StringBuilder();
        for (Frontier.Point p : points) {
            double x = LEFT + plotWidth * (p.budgetGpuHours().doubleValue() - minX) / (maxX - minX);
            double y = HEIGHT - BOTTOM - plotHeight * p.expectedValue().doubleValue() / maxY;
            line.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            String tooltip = "budget " + p.budgetGpuHours().toPlainString() + " GPU-h: expected value " + p.expectedValue().toPlainString()
                    + ", " + p.selected() + " runs, " + p.gpuHours().toPlainString() + " GPU-h used"
                    + (p.marginalValuePerGpuHour() == null ? "" : ", +" + p.marginalValuePerGpuHour().toPlainString() + " per extra GPU-h")
                    + (p.added().isEmpty() ? "" : "\nadded: " + String.join(", ", p.added()));
            marks.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"#1f6fb4\"><title>%s</title></circle>%n",
                    x, y, escape(tooltip)));
        }
        svg.append("<polyline fill=\"none\" stroke=\"#1f6fb4\" stroke-width=\"2\" points=\"").append(line.toString().trim()).append("\"/>\n");
        svg.append(marks);
        svg.append("</svg>\n");
        return svg.toString();
    }

    private static String number(double value) {
        return value >= 100 || value == Math.rint(value) ? String.format(Locale.ROOT, "%.0f", value) : String.format(Locale.ROOT, "%.1f", value);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
