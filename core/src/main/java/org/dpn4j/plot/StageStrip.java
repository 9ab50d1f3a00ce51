package org.dpn4j.plot;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.dpn4j.data.Dataset;
import org.dpn4j.data.LabelSet;
import org.dpn4j.data.LabelledImage;
import org.dpn4j.data.Sample;
import org.dpn4j.head.LabelContexts;
import org.dpn4j.io.LabelMaps;
import org.dpn4j.model.DpnModel;

/**
 * The step-by-step strip of the paper's Fig. 9: one row per image, the columns image | unary |
 * + triple penalty | + label contexts | ground truth (or whichever stage columns are given), the
 * label maps in the dataset's colours (void black), a colour key of the classes below.
 *
 * <p>A stage column is a model and what of its head to apply ({@link Mode}): the separate models
 * the stages of training wrote ({@code unary}, {@code triple}, {@code full}), or one full model
 * stage by stage. The latter is exact for a model whose last stage is {@code contexts}: that stage
 * trains b13 alone (DESIGN.md, Sec. 4.3), so its unary and b12 are those of the earlier stages and
 * its head with b13 at the identity value is the {@code triple} model's.
 */
public final class StageStrip {

  static final int TITLE_HEIGHT = 30;
  static final int GAP = 6;

  private StageStrip() {}

  /** How much of a model's head a column applies. */
  public enum Mode {
    /** The unary alone: p = softmax(b11). */
    UNARY,
    /** The head with b13 at its identity initial value: the unary and the triple penalty. */
    TRIPLE,
    /** The whole head. */
    HEAD
  }

  /** A stage column: its title, the model and what of its head to apply. */
  public record Column(String title, DpnModel model, Mode mode) {}

  /** The columns of the paper's figure, all three from one model (see the class javadoc). */
  public static List<Column> stagesOf(DpnModel model) {
    return List.of(new Column("unary", model, Mode.UNARY), new Column("+ triple penalty", model, Mode.TRIPLE),
        new Column("+ label contexts", model, Mode.HEAD));
  }

  /** The strip of {@code samples} of {@code dataset}, each cell {@code cellWidth} pixels wide, as a PNG. */
  public static void write(Dataset dataset, List<Sample> samples, List<Column> columns, int cellWidth, Path png)
      throws IOException {
    for (Column c : columns) {
      if (!c.model().config().labels().names().equals(dataset.labels().names())) {
        throw new IllegalArgumentException("column '" + c.title() + "': the model's labels "
            + c.model().config().labels().names() + " are not the dataset's " + dataset.labels().names());
      }
    }
    List<LabelledImage> images = new ArrayList<>();
    for (Sample s : samples) {
      images.add(dataset.read(s));
    }
    Figure.write(draw(images, columns, dataset.labels(), cellWidth), png);
  }

  /** The samples named (in that order), or else {@code count} spread evenly over {@code all}. */
  public static List<Sample> pick(List<Sample> all, List<String> names, int count) {
    if (names.isEmpty()) {
      if (count < 1 || count > all.size()) {
        throw new IllegalArgumentException("--count must be in 1.." + all.size() + ", got " + count);
      }
      List<Sample> out = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        out.add(all.get((int) ((long) i * all.size() / count)));
      }
      return out;
    }
    Map<String, Sample> byName = all.stream().collect(Collectors.toMap(Sample::name, Function.identity(), (a, b) -> a));
    List<Sample> out = new ArrayList<>();
    for (String n : names) {
      Sample s = byName.get(n);
      if (s == null) {
        throw new IllegalArgumentException("no frame '" + n + "' in the split (its first: "
            + all.stream().limit(3).map(Sample::name).toList() + ")");
      }
      out.add(s);
    }
    return out;
  }

  /** The labels a column gives for {@code photo}. */
  static int[] labels(Column c, BufferedImage photo) {
    if (c.mode() != Mode.TRIPLE) {
      return c.model().segment(photo, c.mode() == Mode.HEAD).labels();
    }
    LabelContexts b13 = c.model().head().b13();
    float[] w = b13.weights();
    float[] saved = w.clone();
    float[] identity = new LabelContexts(b13.labels(), b13.components(), b13.size(), b13.frames()).weights();
    System.arraycopy(identity, 0, w, 0, w.length);
    try {
      return c.model().segment(photo, true).labels();
    } finally {
      System.arraycopy(saved, 0, w, 0, w.length);
    }
  }

  static BufferedImage draw(List<LabelledImage> images, List<Column> columns, LabelSet labels, int cellWidth) {
    List<String> titles = new ArrayList<>(List.of("image"));
    columns.forEach(c -> titles.add(c.title()));
    titles.add("ground truth");
    int[] heights = images.stream().mapToInt(i -> Math.max(1, Math.round((float) i.h() * cellWidth / i.w()))).toArray();
    int width = titles.size() * (cellWidth + GAP) + GAP;
    int rowsHeight = Arrays.stream(heights).map(h -> h + GAP).sum();
    int keyTop = TITLE_HEIGHT + rowsHeight + GAP;
    BufferedImage img = Figure.canvas(width, keyTop + Figure.legendRowHeight(labels.names(), width - 2 * GAP));
    Graphics2D g = Figure.graphics(img);
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
    g.setFont(Figure.TITLE);
    g.setColor(Figure.AXIS);
    for (int c = 0; c < titles.size(); c++) {
      Figure.text(g, titles.get(c), GAP + c * (cellWidth + GAP) + cellWidth / 2.0, TITLE_HEIGHT / 2.0, 0.5, 0.5);
    }
    g.setFont(Figure.FONT);
    int[] palette = labels.palette();
    int y = TITLE_HEIGHT;
    for (int r = 0; r < images.size(); r++) {
      LabelledImage li = images.get(r);
      BufferedImage photo = Figure.photo(li.image());
      List<BufferedImage> cells = new ArrayList<>(List.of(photo));
      for (Column c : columns) {
        cells.add(LabelMaps.indexed(labels(c, photo), li.h(), li.w(), palette));
      }
      cells.add(LabelMaps.indexed(li.labels(), li.h(), li.w(), palette));
      for (int c = 0; c < cells.size(); c++) {
        // The photo smooth, the label maps with their edges: nearest neighbour.
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, c == 0
            ? RenderingHints.VALUE_INTERPOLATION_BILINEAR : RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
        g.drawImage(cells.get(c), GAP + c * (cellWidth + GAP), y, cellWidth, heights[r], null);
      }
      g.setColor(new Color(0, 0, 0, 150));
      g.fillRect(GAP, y, g.getFontMetrics().stringWidth(li.name()) + 8, g.getFontMetrics().getHeight() + 2);
      g.setColor(Color.WHITE);
      Figure.text(g, li.name(), GAP + 4, y + 1, 0, 0);
      y += heights[r] + GAP;
    }
    Figure.legendRow(g, GAP, keyTop, width - 2 * GAP, labels.names(), colours(labels));
    g.dispose();
    return img;
  }

  private static List<Color> colours(LabelSet labels) {
    return Arrays.stream(labels.colours()).mapToObj(Color::new).toList();
  }
}
