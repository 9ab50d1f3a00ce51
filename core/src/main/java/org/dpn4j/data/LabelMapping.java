package org.dpn4j.data;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.dpn4j.io.Images;

/**
 * How the values stored in a dataset's label PNGs become labels. A label PNG is single-channel:
 * 8-bit grey (the value is the label: CamVid, SBD's SegmentationClassAug), 8-bit palette (the
 * palette INDEX is the label, the colours are ignored: VOC's SegmentationClass) or grey with
 * another coding (Cityscapes' labelIds, mapped by a table). A value the mapping does not accept is
 * an error naming the file, the value and the pixel, never a silent ignore.
 */
public final class LabelMapping {

  private final int[] table;
  private final String accepted;

  private LabelMapping(int[] table, String accepted) {
    this.table = table;
    this.accepted = accepted;
  }

  /** Stored value = label: the classes 0..n-1 and the ignore value are accepted. */
  public static LabelMapping identity(LabelSet set) {
    int[] t = new int[set.ignore() + 1];
    Arrays.fill(t, -1);
    for (int c = 0; c < set.size(); c++) {
      t[c] = c;
    }
    t[set.ignore()] = set.ignore();
    return new LabelMapping(
        t, "a class 0.." + (set.size() - 1) + " or the ignore value " + set.ignore());
  }

  /**
   * Stored value v becomes {@code table[v]}; values past the table or mapped to -1 are errors.
   *
   * @param accepted what the accepted values are, for error messages ("a Cityscapes labelId 0..33")
   */
  public static LabelMapping table(int[] table, String accepted) {
    return new LabelMapping(table.clone(), accepted);
  }

  /** The label of stored value {@code v}, or -1 if {@code v} is not accepted. */
  public int label(int v) {
    return v >= 0 && v < table.length ? table[v] : -1;
  }

  /** Reads and decodes a label PNG; a missing, corrupt, multi-channel or stray-valued file names itself. */
  public LabelMap read(Path file) throws IOException {
    BufferedImage img = Images.read(file);
    Raster r = img.getRaster();
    boolean grey = img.getColorModel().getNumColorComponents() == 1;
    if (r.getNumBands() != 1 || !(grey || img.getColorModel() instanceof IndexColorModel)) {
      throw new IOException(
          file + ": a label PNG must be single-channel (grey values or palette indices), this one has "
              + r.getNumBands() + " channels; colour-coded labels must be converted to label values");
    }
    int h = img.getHeight();
    int w = img.getWidth();
    int[] labels = r.getPixels(0, 0, w, h, (int[]) null);
    for (int i = 0; i < labels.length; i++) {
      int label = label(labels[i]);
      if (label < 0) {
        throw new IOException(
            file + ": label value " + labels[i] + " at (x=" + i % w + ", y=" + i / w + ") is not "
                + accepted);
      }
      labels[i] = label;
    }
    return new LabelMap(h, w, labels);
  }
}
