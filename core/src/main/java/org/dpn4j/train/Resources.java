package org.dpn4j.train;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.dpn4j.data.Augmentation;
import org.dpn4j.data.Dataset;
import org.dpn4j.data.Sample;

/**
 * The limits a batch stage is checked against before the engine, a model or the data load (issue
 * 17: a crop of 2000 x 3000 on CamVid grew to 16 GB until the kernel killed the run): a crop larger
 * than the images can ever be after the augmentation's largest scale, and a batch whose estimated
 * memory exceeds the machine's, are refused with the figure and the limit.
 */
final class Resources {

  /**
   * Estimated bytes per pixel of a training batch (images, activations kept for the backward pass,
   * gradients, the engine's buffers): issue 17's run of 2 crops of 2000 x 3000 (12 million pixels)
   * reached 16 GB, about 1.3 kB a pixel, rounded up.
   */
  static final long BYTES_PER_PIXEL = 1400;

  private Resources() {}

  /** Refuses a batch whose estimate exceeds the machine's physical memory. */
  static void checkBatch(UnaryTrainingConfig c, int batchSize) {
    long pixels = (long) batchSize * c.cropHeight() * c.cropWidth();
    double estimate = (double) pixels * BYTES_PER_PIXEL;
    long machine = physicalMemory();
    if (machine > 0 && estimate > machine) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "a batch of %d crops of %d x %d needs about %.1f GB (%d bytes a pixel), more than this machine's %.1f GB:"
              + " lower batchSize or the crop", batchSize, c.cropHeight(), c.cropWidth(), estimate / 1e9,
          BYTES_PER_PIXEL, machine / 1e9));
    }
  }

  /**
   * Refuses a crop larger than the first training image at the augmentation's largest scale (read
   * from the image file's header only): such a crop is mostly padding, and its memory is wasted.
   */
  static void checkCrop(UnaryTrainingConfig c, Dataset dataset, List<Sample> samples) throws IOException {
    if (samples.isEmpty()) {
      return;
    }
    Path image = samples.get(0).image();
    int[] hw = size(image);
    if (hw == null) {
      return; // an unreadable image is reported, naming it, when the data load
    }
    double s = Augmentation.MAX_SCALE;
    if (c.cropHeight() > s * hw[0] || c.cropWidth() > s * hw[1]) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "the crop %d x %d is larger than the training images can be: %s is %d x %d, at most %d x %d after the"
              + " augmentation's largest scale %.1f; choose a crop within that", c.cropHeight(), c.cropWidth(),
          image, hw[0], hw[1], (int) (s * hw[0]), (int) (s * hw[1]), s));
    }
  }

  /** Height and width from the image's header, or null where no reader knows it. */
  private static int[] size(Path image) throws IOException {
    try (ImageInputStream in = ImageIO.createImageInputStream(image.toFile())) {
      Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
      if (readers == null || !readers.hasNext()) {
        return null;
      }
      ImageReader r = readers.next();
      try {
        r.setInput(in);
        return new int[] {r.getHeight(0), r.getWidth(0)};
      } finally {
        r.dispose();
      }
    }
  }

  /** The machine's physical memory in bytes, or 0 where the JVM does not say. */
  static long physicalMemory() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getTotalMemorySize();
    }
    return 0;
  }
}
