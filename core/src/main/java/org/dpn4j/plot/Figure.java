package org.dpn4j.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleUnaryOperator;
import org.dpn4j.value.Maps;
import org.dpn4j.io.LabelMaps;

/**
 * What the figures share: a white canvas, text placed by its anchor, panels with axes, ticks and
 * labels, legends, series colours, and the atomic PNG write. Plain Java2D, no plotting library.
 */
final class Figure {

  static final Font FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
  static final Font TITLE = FONT.deriveFont(Font.BOLD, 15f);
  static final Color AXIS = Color.DARK_GRAY;
  static final Color GRID = new Color(0xE6E6E6);
  /** Series colours (Tableau 10): the first few stages get well-separated hues. */
  private static final int[] SERIES = {
    0x1F77B4, 0xFF7F0E, 0x2CA02C, 0xD62728, 0x9467BD, 0x8C564B, 0xE377C2, 0x7F7F7F, 0xBCBD22, 0x17BECF
  };

  private Figure() {}

  /** A white w x h RGB canvas. */
  static BufferedImage canvas(int w, int h) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, w, h);
    g.dispose();
    return img;
  }

  /** Anti-aliased graphics on {@code img} with {@link #FONT}; the caller disposes them. */
  static Graphics2D graphics(BufferedImage img) {
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setFont(FONT);
    return g;
  }

  static Color series(int i) {
    return new Color(SERIES[i % SERIES.length]);
  }

  /** Writes {@code img} as PNG atomically. */
  static void write(BufferedImage img, Path png) throws IOException {
    LabelMaps.writePng(img, png);
  }

  /** A photo (3 x H x W, RGB in [0, 1]) as an RGB image. */
  static BufferedImage photo(Maps rgb) {
    BufferedImage img = new BufferedImage(rgb.w, rgb.h, BufferedImage.TYPE_INT_RGB);
    int plane = rgb.plane();
    for (int i = 0; i < plane; i++) {
      int r = byteOf(rgb.data[i]);
      int gr = byteOf(rgb.data[plane + i]);
      int b = byteOf(rgb.data[2 * plane + i]);
      img.setRGB(i % rgb.w, i / rgb.w, (r << 16) | (gr << 8) | b);
    }
    return img;
  }

  private static int byteOf(float v) {
    return Math.max(0, Math.min(255, Math.round(v * 255f)));
  }

  /**
   * Draws {@code s} so that the point (x, y) is at its anchor: {@code ax}, {@code ay} are 0 (left,
   * top), 0.5 (centre) or 1 (right, bottom) of the text's box.
   */
  static void text(Graphics2D g, String s, double x, double y, double ax, double ay) {
    FontMetrics fm = g.getFontMetrics();
    double w = fm.stringWidth(s);
    double h = fm.getAscent() + fm.getDescent();
    g.drawString(s, (float) (x - ax * w), (float) (y - ay * h + fm.getAscent()));
  }

  /** {@link #text} turned a quarter anticlockwise (reads bottom to top), anchored in the turned box. */
  static void verticalText(Graphics2D g, String s, double x, double y, double ax, double ay) {
    AffineTransform saved = g.getTransform();
    g.translate(x, y);
    g.rotate(-Math.PI / 2);
    text(g, s, 0, 0, ax, ay);
    g.setTransform(saved);
  }

  /** About {@code target} round tick values (1, 2 or 5 times a power of ten apart) covering [lo, hi]. */
  static List<Double> ticks(double lo, double hi, int target) {
    double span = hi - lo;
    if (!(span > 0)) {
      return List.of(lo);
    }
    double raw = span / Math.max(1, target);
    double mag = Math.pow(10, Math.floor(Math.log10(raw)));
    double step = mag * (raw / mag < 1.5 ? 1 : raw / mag < 3.5 ? 2 : raw / mag < 7.5 ? 5 : 10);
    List<Double> t = new ArrayList<>();
    for (double v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) {
      t.add(Math.abs(v) < step * 1e-9 ? 0 : v);
    }
    return t;
  }

  /** A tick label: short, without trailing zeros, exponent form for very small or large values. */
  static String number(double v) {
    if (v == 0) {
      return "0";
    }
    double a = Math.abs(v);
    if (a >= 1e5 || a < 1e-3) {
      return String.format(Locale.ROOT, "%.0e", v).replace("e-0", "e-").replace("e+0", "e");
    }
    String s = String.format(Locale.ROOT, "%.4f", v);
    return s.replaceAll("0+$", "").replaceAll("\\.$", "");
  }

  /** Colour swatches (filled squares) with names, one per line, from (x, y) on a white box. */
  static void legend(Graphics2D g, double x, double y, List<String> names, List<Color> colours) {
    FontMetrics fm = g.getFontMetrics();
    int line = fm.getHeight() + 2;
    int width = 0;
    for (String n : names) {
      width = Math.max(width, fm.stringWidth(n));
    }
    g.setColor(new Color(255, 255, 255, 220));
    g.fillRect((int) x, (int) y, width + 30, line * names.size() + 8);
    g.setColor(AXIS);
    g.drawRect((int) x, (int) y, width + 30, line * names.size() + 8);
    for (int i = 0; i < names.size(); i++) {
      double ty = y + 4 + i * line;
      g.setColor(colours.get(i));
      g.fillRect((int) x + 6, (int) (ty + line / 2.0 - 5), 12, 10);
      g.setColor(AXIS);
      text(g, names.get(i), x + 24, ty + line / 2.0, 0, 0.5);
    }
  }

  /** The height {@link #legendRow} takes for {@code names} within {@code width}. */
  static int legendRowHeight(List<String> names, int width) {
    Graphics2D g = graphics(new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB));
    int h = legendRow(g, 0, 0, width, names, null);
    g.dispose();
    return h;
  }

  /**
   * Colour swatches with names side by side from (x, y), wrapped to {@code width}; draws only when
   * {@code colours} is not null. Returns the height taken.
   */
  static int legendRow(Graphics2D g, int x, int y, int width, List<String> names, List<Color> colours) {
    FontMetrics fm = g.getFontMetrics();
    int line = fm.getHeight() + 4;
    int cx = 0;
    int cy = 0;
    for (int i = 0; i < names.size(); i++) {
      int w = 16 + fm.stringWidth(names.get(i)) + 14;
      if (cx > 0 && cx + w > width) {
        cx = 0;
        cy += line;
      }
      if (colours != null) {
        g.setColor(colours.get(i));
        g.fillRect(x + cx, y + cy + line / 2 - 6, 12, 12);
        g.setColor(AXIS);
        g.drawRect(x + cx, y + cy + line / 2 - 6, 12, 12);
        text(g, names.get(i), x + cx + 16, y + cy + line / 2.0, 0, 0.5);
      }
      cx += w;
    }
    return cy + line + 4;
  }

  /**
   * A plotting area: the pixel rectangle (left, top, width, height) and the data ranges it shows.
   * A log axis ({@code logY}) maps log10 of the values.
   */
  record Panel(int left, int top, int width, int height, double x0, double x1, double y0, double y1, boolean logY) {

    double px(double x) {
      return left + (x - x0) / (x1 - x0) * width;
    }

    double py(double y) {
      DoubleUnaryOperator f = logY ? Math::log10 : v -> v;
      return top + height - (f.applyAsDouble(y) - f.applyAsDouble(y0)) / (f.applyAsDouble(y1) - f.applyAsDouble(y0))
          * height;
    }

    /** Grid lines and labelled ticks of the x axis, and its name below them (if not null). */
    void xAxis(Graphics2D g, String name) {
      for (double v : ticks(x0, x1, 8)) {
        int x = (int) Math.round(px(v));
        g.setColor(GRID);
        g.drawLine(x, top, x, top + height);
        g.setColor(AXIS);
        g.drawLine(x, top + height, x, top + height + 4);
        text(g, number(v), x, top + height + 6, 0.5, 0);
      }
      if (name != null) {
        text(g, name, left + width / 2.0, top + height + 24, 0.5, 0);
      }
    }

    /** Grid lines and labelled ticks of the y axis (decades on a log axis), its name turned on the left. */
    void yAxis(Graphics2D g, String name) {
      for (double v : logY ? decades() : ticks(y0, y1, 5)) {
        int y = (int) Math.round(py(v));
        g.setColor(GRID);
        g.drawLine(left, y, left + width, y);
        g.setColor(AXIS);
        g.drawLine(left - 4, y, left, y);
        text(g, number(v), left - 6, y, 1, 0.5);
      }
      g.setColor(AXIS);
      verticalText(g, name, left - 62, top + height / 2.0, 0.5, 0.5);
    }

    /** The panel's frame and its title above it. */
    void frame(Graphics2D g, String title) {
      g.setColor(AXIS);
      g.setStroke(new BasicStroke(1f));
      g.drawRect(left, top, width, height);
      g.setFont(TITLE);
      text(g, title, left + width / 2.0, top - 6, 0.5, 1);
      g.setFont(FONT);
    }

    private List<Double> decades() {
      List<Double> t = new ArrayList<>();
      for (double e = Math.ceil(Math.log10(y0) - 1e-9); e <= Math.log10(y1) + 1e-9; e++) {
        t.add(Math.pow(10, e));
      }
      return t;
    }
  }
}
