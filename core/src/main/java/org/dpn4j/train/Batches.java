package org.dpn4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.dpn4j.data.LabelledImage;

/** A batch of augmented crops as the unary's engine input. */
final class Batches {

  private Batches() {}

  /** The normalised crops stacked as N x 3 x H x W; all must be RGB of one size. */
  static NDArray images(NDManager m, List<LabelledImage> batch) {
    LabelledImage first = batch.get(0);
    int h = first.h();
    int w = first.w();
    float[] images = new float[batch.size() * 3 * h * w];
    for (int i = 0; i < batch.size(); i++) {
      LabelledImage s = batch.get(i);
      if (s.h() != h || s.w() != w || s.image().c != 3) {
        throw new IllegalArgumentException("a batch needs RGB images of one size: " + s.name() + " is "
            + s.image().c + "x" + s.h() + "x" + s.w() + ", " + first.name() + " is 3x" + h + "x" + w);
      }
      System.arraycopy(s.image().data, 0, images, i * 3 * h * w, 3 * h * w);
    }
    return m.create(images, new Shape(batch.size(), 3, h, w));
  }

  /** The labels stacked as N x H x W (call after {@link #images}, which checks the sizes). */
  static NDArray labels(NDManager m, List<LabelledImage> batch) {
    int h = batch.get(0).h();
    int w = batch.get(0).w();
    int[] labels = new int[batch.size() * h * w];
    for (int i = 0; i < batch.size(); i++) {
      System.arraycopy(batch.get(i).labels(), 0, labels, i * h * w, h * w);
    }
    return m.create(labels, new Shape(batch.size(), h, w));
  }
}
