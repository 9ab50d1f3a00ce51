package org.dpn4j.head;

import org.dpn4j.value.Maps;

/**
 * b13 as {@link MeanFieldHead} uses it: the 2D {@link LabelContexts} and the spatio-temporal
 * {@link LabelContexts3d} (whose input is the 3D b12's three frames stacked).
 */
interface ContextLayer {

  int labels();

  /** K, the components per label that b14 pools over. */
  int components();

  /** m_c, the kernel size. */
  int size();

  /** The K*L maps of b12's output. */
  Maps forward(Maps b12);

  /** b14 of {@link #forward} without the K*L maps (inference). */
  Maps forwardMin(Maps b12);

  /** Gradients w.r.t. b12's output (shaped as it) and the weights, given g = dL/d(b13's output). */
  LabelContexts.Gradients backward(Maps b12, Maps gradOut);
}
