package org.dpn4j.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.dpn4j.head.LabelContexts;
import org.dpn4j.model.DpnModel;

/**
 * The learned label compatibilities (the paper's Fig. 6a): "obtained by summing each filter in
 * b13 over a 9 x 9 region". b13's weights are (K*L, L, m, m) (DESIGN.md b13), map u*K + k is
 * component k of label u, and b13 out_u = sum_v w[u*K+k][v] * q_v is the cost b15 subtracts from
 * ln p_u (P = softmax(ln p - b14)). So the matrix drawn is
 *
 * <pre>  compatibility(u, v) = 1/K sum_k sum_{dy, dx} w[u*K+k][v][dy][dx]</pre>
 *
 * (summed over every tap, and over the frames of a spatio-temporal b13; averaged over the K
 * components, which the paper's figure does not say how to merge): the cost of label u (row) at
 * a pixel per unit of label v (column) around it. Negative is favourable: blue, as in the paper
 * ("blue represents high favorability"); positive, a penalty, is red. At b13's initial identity
 * value the matrix is the identity. The matrix need not be symmetric.
 */
public final class LabelCompatibility {

  static final int CELL = 44;
  static final int MARGIN = 110;
  static final int BAR = 18;

  private LabelCompatibility() {}

  /** compatibility(u, v) of the class javadoc, L x L, rows u. */
  public static double[][] matrix(LabelContexts b13) {
    int l = b13.labels();
    int k = b13.components();
    int taps = b13.frames() * b13.size() * b13.size();
    float[] w = b13.weights();
    double[][] m = new double[l][l];
    for (int u = 0; u < l; u++) {
      for (int c = 0; c < k; c++) {
        for (int v = 0; v < l; v++) {
          int from = ((u * k + c) * l + v) * taps;
          for (int i = from; i < from + taps; i++) {
            m[u][v] += w[i];
          }
        }
      }
      for (int v = 0; v < l; v++) {
        m[u][v] /= k;
      }
    }
    return m;
  }

  /** The heatmap of {@code model}'s b13 with its class names, values in the cells if {@code values}. */
  public static void write(DpnModel model, Path png, boolean values) throws IOException {
    Figure.write(draw(matrix(model.head().b13()), model.config().labels().names(), values), png);
  }

  /** The L x L heatmap with class names on both axes and a colour bar. */
  static BufferedImage draw(double[][] m, List<String> names, boolean values) {
    int l = m.length;
    double range = 0;
    for (double[] row : m) {
      for (double v : row) {
        range = Math.max(range, Math.abs(v));
      }
    }
    range = range > 0 ? range : 1;
    int side = l * CELL;
    // At least as wide as the caption under the matrix, for few labels.
    BufferedImage img = Figure.canvas(Math.max(MARGIN + side + 110, 2 * MARGIN + 480), MARGIN + side + 30);
    Graphics2D g = Figure.graphics(img);
    for (int u = 0; u < l; u++) {
      for (int v = 0; v < l; v++) {
        g.setColor(colour(m[u][v] / range));
        g.fillRect(MARGIN + v * CELL, MARGIN + u * CELL, CELL, CELL);
        if (values) {
          g.setColor(Math.abs(m[u][v] / range) > 0.6 ? Color.WHITE : Color.BLACK);
          g.setFont(Figure.FONT.deriveFont(10f));
          Figure.text(g, String.format(Locale.ROOT, "%.2f", m[u][v]), MARGIN + (v + 0.5) * CELL,
              MARGIN + (u + 0.5) * CELL, 0.5, 0.5);
          g.setFont(Figure.FONT);
        }
      }
      g.setColor(Figure.AXIS);
      Figure.text(g, names.get(u), MARGIN - 6, MARGIN + (u + 0.5) * CELL, 1, 0.5);
      Figure.verticalText(g, names.get(u), MARGIN + (u + 0.5) * CELL, MARGIN - 6, 0, 0.5);
    }
    g.setColor(Figure.AXIS);
    g.setStroke(new BasicStroke(1f));
    g.drawRect(MARGIN, MARGIN, side, side);
    Figure.text(g, "rows: label u, columns: label v around it; blue favours u, red penalises it",
        8, MARGIN + side + 6, 0, 0);
    g.setFont(Figure.TITLE);
    Figure.text(g, "label compatibility (b13 summed over space)", 8, 8, 0, 0);
    g.setFont(Figure.FONT);
    colourBar(g, MARGIN + side + 20, MARGIN, side, range);
    g.dispose();
    return img;
  }

  /** A vertical bar from +range (top, red: penalty) to -range (bottom, blue: favourable), ticked. */
  private static void colourBar(Graphics2D g, int x, int top, int height, double range) {
    for (int y = 0; y < height; y++) {
      g.setColor(colour(1 - 2.0 * (y + 0.5) / height));
      g.drawLine(x, top + y, x + BAR, top + y);
    }
    g.setColor(Figure.AXIS);
    g.drawRect(x, top, BAR, height);
    for (double v : Figure.ticks(-range, range, 6)) {
      int y = (int) Math.round(top + (range - v) / (2 * range) * height);
      g.drawLine(x + BAR, y, x + BAR + 4, y);
      Figure.text(g, Figure.number(v), x + BAR + 6, y, 0, 0.5);
    }
  }

  /** The diverging scale: -1 deep blue, 0 white, +1 deep red (t clamped to [-1, 1]). */
  static Color colour(double t) {
    t = Math.max(-1, Math.min(1, t));
    Color end = t < 0 ? new Color(0x2166AC) : new Color(0xB2182B);
    double a = Math.abs(t);
    return new Color(mix(255, end.getRed(), a), mix(255, end.getGreen(), a), mix(255, end.getBlue(), a));
  }

  private static int mix(int from, int to, double a) {
    return (int) Math.round(from + (to - from) * a);
  }
}
