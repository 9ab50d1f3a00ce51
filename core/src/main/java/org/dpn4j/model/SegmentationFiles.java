package org.dpn4j.model;

import java.io.IOException;
import java.nio.file.Path;
import org.dpn4j.io.LabelMaps;
import org.dpn4j.io.Npy;
import org.dpn4j.util.FileNames;
import org.dpn4j.value.Maps;

/**
 * The files of one image's segmentation as {@code dpn segment} names and writes them, so that
 * every command that segments (the CLI, the Spark job) gives the same bytes under the same name:
 * {@code NAME.png} (8-bit label indices, the label colours as palette), {@code NAME_overlay.png}
 * and {@code NAME.npy} (probabilities, L x H x W), each written atomically.
 */
public final class SegmentationFiles {

  /** How the probabilities are kept: not at all, float32 or float16 {@code .npy}. */
  public enum Probabilities { NONE, FLOAT32, FLOAT16 }

  private SegmentationFiles() {}

  /** The name of an image's outputs: its file name without extension. */
  public static String name(Path image) {
    return FileNames.stem(image);
  }

  /** The label PNG of {@code name} in {@code dir}. */
  public static Path labelsFile(Path dir, String name) {
    return dir.resolve(name + ".png");
  }

  /**
   * Writes {@code s}'s files for {@code name} into {@code dir}: the overlay and probabilities
   * first and the label PNG last, so that a label PNG's presence means its image is done.
   */
  public static void write(Segmentation s, Path dir, String name, boolean overlay, Probabilities probs)
      throws IOException {
    if (overlay) {
      LabelMaps.writePng(s.overlay(), dir.resolve(name + "_overlay.png"));
    }
    Maps p = s.probabilities();
    Path npy = dir.resolve(name + ".npy");
    switch (probs) {
      case FLOAT32 -> Npy.writeFloat32(npy, p.data, p.c, p.h, p.w);
      case FLOAT16 -> Npy.writeFloat16(npy, p.data, p.c, p.h, p.w);
      case NONE -> { }
    }
    LabelMaps.writePng(s.labelImage(), labelsFile(dir, name));
  }
}
