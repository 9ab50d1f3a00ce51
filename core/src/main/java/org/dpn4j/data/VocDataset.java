package org.dpn4j.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * PASCAL VOC 2012, optionally with the SBD augmentation ("train_aug"). ROOT is the VOC2012 folder:
 *
 * <pre>
 * ROOT/JPEGImages/NAME.jpg
 * ROOT/SegmentationClass/NAME.png             palette PNGs: the palette INDEX is the label, 255 void
 * ROOT/ImageSets/Segmentation/SPLIT.txt       train, val, trainval: one NAME per line
 * ROOT/SegmentationClassAug/NAME.png          SBD labels (grey or palette, same values), optional
 * ROOT/ImageSets/Segmentation/train_aug.txt   optional: NAMEs, or DeepLab's pairs
 *                                             "/JPEGImages/NAME.jpg /SegmentationClassAug/NAME.png"
 * </pre>
 *
 * A split whose name ends in {@code _aug} takes its labels from SegmentationClassAug, the others
 * from SegmentationClass. A line with two paths is resolved by their last two components under ROOT.
 *
 * @param root the VOC2012 folder
 */
public record VocDataset(Path root) implements Dataset {

  @Override
  public List<Sample> samples(String split) throws IOException {
    Path list = root.resolve("ImageSets").resolve("Segmentation").resolve(split + ".txt");
    Path labelDir = root.resolve(split.endsWith("_aug") ? "SegmentationClassAug" : "SegmentationClass");
    return SampleLists.samples(list, "'NAME' or 'IMAGE LABEL'", e -> switch (e.length) {
      case 1 -> new Sample(root.resolve("JPEGImages").resolve(e[0] + ".jpg"), labelDir.resolve(e[0] + ".png"), e[0]);
      case 2 -> SampleLists.pair(root, e, list);
      default -> null;
    });
  }

  @Override
  public LabelSet labels() {
    return LabelSet.VOC;
  }
}
