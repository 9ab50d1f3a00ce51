package org.dpn4j.data;

import java.io.IOException;
import java.util.List;
import org.dpn4j.value.Maps;
import org.dpn4j.io.Images;

/**
 * A segmentation dataset on disk: its classes and the samples of each split. Reading a sample gives
 * the RGB photo and its decoded label map; every problem (a missing or corrupt file, a stray label
 * value, a photo and label of different sizes) is an {@link IOException} naming the file(s).
 */
public interface Dataset {

  /** Class names, colours and ignore value. */
  LabelSet labels();

  /** The samples of {@code split} in list order; a missing split is an error naming its list. */
  List<Sample> samples(String split) throws IOException;

  /**
   * The sequence (drive, video) {@code s} was taken from, by which {@link SequenceSelection} chooses
   * samples, or null where the layout has none (the default).
   */
  default String sequence(Sample s) {
    return null;
  }

  /** How stored label values become labels (default: the value is the label). */
  default LabelMapping mapping() {
    return LabelMapping.identity(labels());
  }

  /** The decoded label map of {@code s} alone (no photo decoding, for statistics). */
  default LabelMap readLabels(Sample s) throws IOException {
    return mapping().read(s.label());
  }

  /** The photo and label map of {@code s}. */
  default LabelledImage read(Sample s) throws IOException {
    Maps image = Images.readRgb(s.image());
    LabelMap labels = readLabels(s);
    if (labels.h() != image.h || labels.w() != image.w) {
      throw new IOException(
          s.image() + " is " + image.w + "x" + image.h + " (w x h) but its label map " + s.label()
              + " is " + labels.w() + "x" + labels.h());
    }
    return new LabelledImage(s.name(), image, labels.labels());
  }
}
