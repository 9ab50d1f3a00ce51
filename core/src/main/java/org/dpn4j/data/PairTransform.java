package org.dpn4j.data;

/**
 * A transform of a photo and its label map together. The result depends only on the input and
 * {@code seed}: the same seed gives the same sample, whichever thread runs it.
 */
@FunctionalInterface
public interface PairTransform {

  LabelledImage apply(LabelledImage in, long seed);
}
