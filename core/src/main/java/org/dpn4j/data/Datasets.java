package org.dpn4j.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;

/** Opening a dataset by its layout's name, or by recognising the layout. */
public final class Datasets {

  private Datasets() {}

  /** {@code kind} is voc, cityscapes, camvid or folder (see each reader for its layout). */
  public static Dataset open(String kind, Path root) throws IOException {
    if (!Files.isDirectory(root)) {
      throw new IOException(root + ": no such dataset folder");
    }
    return switch (kind.toLowerCase(Locale.ROOT)) {
      case "voc" -> new VocDataset(root);
      case "cityscapes" -> new CityscapesDataset(root);
      case "camvid" -> new CamVidDataset(root);
      case "folder" -> new FolderDataset(root);
      default -> throw new IllegalArgumentException(
          "unknown dataset layout '" + kind + "': use voc, cityscapes, camvid or folder");
    };
  }

  /** The layout recognised by its marker: JPEGImages/, leftImg8bit/, labels.json, or trainannot/. */
  public static Dataset detect(Path root) throws IOException {
    if (Files.isDirectory(root.resolve("JPEGImages"))) {
      return open("voc", root);
    }
    if (Files.isDirectory(root.resolve("leftImg8bit"))) {
      return open("cityscapes", root);
    }
    if (Files.isRegularFile(root.resolve("labels.json"))) {
      return open("folder", root);
    }
    if (Files.isDirectory(root.resolve("trainannot")) || Files.isDirectory(root.resolve("valannot"))) {
      return open("camvid", root);
    }
    throw new IOException(
        root + ": not a known dataset layout (no JPEGImages/, leftImg8bit/, labels.json or trainannot/)");
  }

  /**
   * The samples of several splits one after the other ({@code ["train", "val"]}: train's, then
   * val's), as one training set; a split named twice is an error.
   */
  public static List<Sample> samples(Dataset dataset, List<String> splits) throws IOException {
    if (splits.isEmpty()) {
      throw new IllegalArgumentException("no split given");
    }
    if (new HashSet<>(splits).size() != splits.size()) {
      throw new IllegalArgumentException("a split is named twice in " + splits);
    }
    List<Sample> out = new ArrayList<>();
    for (String split : splits) {
      out.addAll(dataset.samples(split));
    }
    return out;
  }
}
