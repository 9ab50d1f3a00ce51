package org.dpn4j.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A dataset of one's own:
 *
 * <pre>
 * ROOT/labels.json            the classes, see {@link LabelSet} for the format
 * ROOT/SPLIT.txt              one NAME per line (no extension; may contain sub-folders)
 * ROOT/images/NAME.EXT        EXT the first of jpg, jpeg, png, bmp that exists
 * ROOT/labels/NAME.png        8-bit grey (value = label) or palette (index = label)
 * </pre>
 */
public final class FolderDataset implements Dataset {

  /** The photo extensions tried, in this order. */
  static final List<String> IMAGE_EXTENSIONS = List.of("jpg", "jpeg", "png", "bmp");

  private final Path root;
  private final LabelSet labels;

  /** The dataset at {@code root} with the classes of {@code root/labels.json}. */
  public FolderDataset(Path root) throws IOException {
    this(root, LabelSet.read(root.resolve("labels.json")));
  }

  public FolderDataset(Path root, LabelSet labels) {
    this.root = root;
    this.labels = labels;
  }

  @Override
  public LabelSet labels() {
    return labels;
  }

  @Override
  public List<Sample> samples(String split) throws IOException {
    Path list = root.resolve(split + ".txt");
    return SampleLists.samples(list, "one NAME",
        e -> e.length == 1 ? new Sample(image(e[0], list), root.resolve("labels").resolve(e[0] + ".png"), e[0]) : null);
  }

  private Path image(String name, Path list) throws IOException {
    for (String ext : IMAGE_EXTENSIONS) {
      Path p = root.resolve("images").resolve(name + "." + ext);
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    throw new IOException(
        root.resolve("images").resolve(name) + ".{jpg,jpeg,png,bmp}: no such image file (listed in " + list + ")");
  }
}
