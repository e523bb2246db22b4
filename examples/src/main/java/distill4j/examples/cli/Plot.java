package distill4j.examples.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/** Line charts as PNG, drawn with Java2D in headless mode (no dependency, no display needed). */
public final class Plot {
    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e),
        new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf)};
    private static final int W = 900, H = 560, LEFT = 80, RIGHT = 190, TOP = 50, BOTTOM = 60;

    private Plot() {}

    /** One line: points (x[i], y[i]); NaN y values are gaps. */
    public record Series(String name, double[] x, double[] y) {}

    public static void lines(Path png, String title, String xLabel, String yLabel, List<Series> series, boolean logX)
            throws IOException {
        System.setProperty("java.awt.headless", "true");
        double x0 = Double.POSITIVE_INFINITY, x1 = Double.NEGATIVE_INFINITY;
        double y0 = Double.POSITIVE_INFINITY, y1 = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (int i = 0; i < s.x().length; i++) {
                if (!Double.isFinite(s.y()[i])) continue;
                double x = logX ? Math.log10(s.x()[i]) : s.x()[i];
                x0 = Math.min(x0, x); x1 = Math.max(x1, x);
                y0 = Math.min(y0, s.y()[i]); y1 = Math.max(y1, s.y()[i]);
            }
        }
        if (!(x0 <= x1)) { x0 = 0; x1 = 1; y0 = 0; y1 = 1; }
        if (x0 == x1) { x0 -= 0.5; x1 += 0.5; }
        if (y0 == y1) { y0 -= 0.5; y1 += 0.5; }
        double ypad = (y1 - y0) * 0.05;
        y0 = Math.max(y0 >= 0 ? 0 : y0 - ypad, y0 - ypad);
        y1 += ypad;

        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, W, H);
            int pw = W - LEFT - RIGHT, ph = H - TOP - BOTTOM;
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
            g.setColor(Color.BLACK);
            g.drawString(title, LEFT, 30);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            FontMetrics fm = g.getFontMetrics();
            // grid and ticks
            double ystep = niceStep((y1 - y0) / 5);
            for (double yv = Math.ceil(y0 / ystep) * ystep; yv <= y1 + 1e-9 * ystep; yv += ystep) {
                int py = TOP + ph - (int) Math.round(ph * (yv - y0) / (y1 - y0));
                g.setColor(new Color(0xe6e6e6));
                g.drawLine(LEFT, py, LEFT + pw, py);
                g.setColor(Color.DARK_GRAY);
                String lab = tick(yv);
                g.drawString(lab, LEFT - 6 - fm.stringWidth(lab), py + 4);
            }
            for (double xv : xTicks(x0, x1, logX)) {
                int px = LEFT + (int) Math.round(pw * (xv - x0) / (x1 - x0));
                g.setColor(new Color(0xe6e6e6));
                g.drawLine(px, TOP, px, TOP + ph);
                g.setColor(Color.DARK_GRAY);
                String lab = tick(logX ? Math.pow(10, xv) : xv);
                g.drawString(lab, px - fm.stringWidth(lab) / 2, TOP + ph + 18);
            }
            g.setColor(Color.BLACK);
            g.drawRect(LEFT, TOP, pw, ph);
            g.drawString(xLabel + (logX ? " (log scale)" : ""), LEFT + pw / 2 - fm.stringWidth(xLabel) / 2, H - 18);
            var old = g.getTransform();
            g.rotate(-Math.PI / 2);
            g.drawString(yLabel, -(TOP + ph / 2 + fm.stringWidth(yLabel) / 2), 20);
            g.setTransform(old);
            // series
            g.setStroke(new BasicStroke(2f));
            for (int k = 0; k < series.size(); k++) {
                Series s = series.get(k);
                g.setColor(PALETTE[k % PALETTE.length]);
                Path2D path = new Path2D.Double();
                boolean pen = false;
                for (int i = 0; i < s.x().length; i++) {
                    if (!Double.isFinite(s.y()[i])) { pen = false; continue; }
                    double xv = logX ? Math.log10(s.x()[i]) : s.x()[i];
                    double px = LEFT + pw * (xv - x0) / (x1 - x0);
                    double py = TOP + ph - ph * (s.y()[i] - y0) / (y1 - y0);
                    if (pen) path.lineTo(px, py); else path.moveTo(px, py);
                    pen = true;
                    if (s.x().length <= 20) g.fillOval((int) px - 3, (int) py - 3, 7, 7);
                }
                g.draw(path);
                int ly = TOP + 10 + 20 * k;
                g.fillRect(LEFT + pw + 14, ly - 5, 18, 4);
                g.setColor(Color.BLACK);
                g.drawString(s.name(), LEFT + pw + 38, ly);
            }
        } finally {
            g.dispose();
        }
        Files.createDirectories(png.toAbsolutePath().getParent());
        Path tmp = png.resolveSibling(png.getFileName() + ".tmp");
        if (!ImageIO.write(img, "png", tmp.toFile())) throw new IOException("no PNG writer available");
        Files.move(tmp, png, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** 1, 2 or 5 times a power of ten, close to {@code raw}. */
    static double niceStep(double raw) {
        if (!(raw > 0)) return 1;
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        double f = raw / p;
        return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * p;
    }

    /** Tick positions in axis units (log10 units on a log axis: at 1, 2, 5 × powers of ten). */
    static List<Double> xTicks(double x0, double x1, boolean logX) {
        List<Double> t = new java.util.ArrayList<>();
        if (logX) {
            for (int e = (int) Math.floor(x0) - 1; e <= (int) Math.ceil(x1); e++) {
                for (int m : new int[] {1, 2, 5}) {
                    double v = Math.log10(m) + e;
                    if (v >= x0 - 1e-9 && v <= x1 + 1e-9) t.add(v);
                }
            }
            return t;
        }
        double step = niceStep((x1 - x0) / 6);
        for (double v = Math.ceil(x0 / step) * step; v <= x1 + 1e-9 * step; v += step) t.add(v);
        return t;
    }

    private static String tick(double v) {
        double a = Math.abs(v);
        if (Math.abs(v - Math.rint(v)) < 1e-9 * Math.max(1, a)) return String.format(Locale.ROOT, "%.0f", v);
        if (a >= 1000) return String.format(Locale.ROOT, "%.0f", v);
        if (a >= 10) return String.format(Locale.ROOT, "%.1f", v);
        if (a >= 0.1) return String.format(Locale.ROOT, "%.2f", v);
        return String.format(Locale.ROOT, "%.3g", v);
    }
}
