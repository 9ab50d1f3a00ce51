package org.dpn4j.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Cityscapes, fine annotations. ROOT holds
 *
 * <pre>
 * ROOT/leftImg8bit/SPLIT/CITY/PREFIX_leftImg8bit.png
 * ROOT/gtFine/SPLIT/CITY/PREFIX_gtFine_labelIds.png    8-bit grey labelIds 0..33
 * </pre>
 *
 * with SPLIT train, val or test; samples are ordered by city, then file name. The labelIds are
 * mapped to the 19 train ids of {@link LabelSet#CITYSCAPES} (cityscapesScripts' labels.py); all
 * other labelIds become 255 (ignored); a value that is no labelId is an error.
 */
public final class CityscapesDataset implements Dataset {

  private static final String IMAGE_SUFFIX = "_leftImg8bit.png";
  private static final String LABEL_SUFFIX = "_gtFine_labelIds.png";

  /** The labelIds of the train ids 0..18: road, sidewalk, ..., bicycle. */
  private static final int[] TRAIN_LABEL_IDS = {
    7, 8, 11, 12, 13, 17, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 31, 32, 33
  };

  private static final LabelMapping LABEL_IDS = labelIdMapping();

  private final Path root;

  public CityscapesDataset(Path root) {
    this.root = root;
  }

  private static LabelMapping labelIdMapping() {
    int[] t = new int[34];
    Arrays.fill(t, LabelSet.CITYSCAPES.ignore());
    for (int trainId = 0; trainId < TRAIN_LABEL_IDS.length; trainId++) {
      t[TRAIN_LABEL_IDS[trainId]] = trainId;
    }
    return LabelMapping.table(t, "a Cityscapes labelId 0..33");
  }

  @Override
  public LabelSet labels() {
    return LabelSet.CITYSCAPES;
  }

  @Override
  public LabelMapping mapping() {
    return LABEL_IDS;
  }

  @Override
  public List<Sample> samples(String split) throws IOException {
    Path images = root.resolve("leftImg8bit").resolve(split);
    if (!Files.isDirectory(images)) {
      throw new IOException(images + ": no such split folder");
    }
    List<Sample> out = new ArrayList<>();
    for (Path city : sorted(images)) {
      if (!Files.isDirectory(city)) {
        continue;
      }
      Path labels = root.resolve("gtFine").resolve(split).resolve(city.getFileName().toString());
      for (Path image : sorted(city)) {
        String file = image.getFileName().toString();
        if (file.endsWith(IMAGE_SUFFIX)) {
          String prefix = file.substring(0, file.length() - IMAGE_SUFFIX.length());
          out.add(new Sample(image, labels.resolve(prefix + LABEL_SUFFIX), prefix));
        }
      }
    }
    if (out.isEmpty()) {
      throw new IOException(images + ": no *" + IMAGE_SUFFIX + " files in its city folders");
    }
    return out;
  }

  private static List<Path> sorted(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    }
  }
}
