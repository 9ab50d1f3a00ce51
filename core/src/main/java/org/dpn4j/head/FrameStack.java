package org.dpn4j.head;

import org.dpn4j.value.Maps;

/**
 * The two layouts of the spatio-temporal head's 3L maps: frame-major (the three frames' L maps one
 * after the other, tau = -1, 0, +1: the output of {@link TriplePenalty3d}) and label-major (label
 * v's three frames consecutive, map v*3 + tau+1: the input order of a b13 with 3 frames, whose
 * weights are (K*L, L, 3, m, m)). Maps are whole planes, so the conversions copy planes.
 */
final class FrameStack {
  static final int FRAMES = 3;

  private FrameStack() {}

  /** The L maps of frame tau (-1, 0, +1) of a frame-major stack, copied. */
  static Maps frame(Maps stack, int tau) {
    int labels = labels(stack);
    Maps out = new Maps(labels, stack.h, stack.w);
    System.arraycopy(stack.data, stack.offset((tau + 1) * labels), out.data, 0, out.data.length);
    return out;
  }

  /** The frame-major stack of three L-map frames (tau = -1, 0, +1); null stands for all zero. */
  static Maps stack(Maps previous, Maps current, Maps next) {
    Maps out = new Maps(FRAMES * current.c, current.h, current.w);
    Maps[] frames = {previous, current, next};
    for (int f = 0; f < FRAMES; f++) {
      if (frames[f] != null) {
        System.arraycopy(frames[f].data, 0, out.data, out.offset(f * current.c), frames[f].data.length);
      }
    }
    return out;
  }

  /** Frame-major to label-major. */
  static Maps labelMajor(Maps stack) {
    return permute(stack, labels(stack), true);
  }

  /** Label-major to frame-major. */
  static Maps frameMajor(Maps stack) {
    return permute(stack, labels(stack), false);
  }

  /** Moves map f*L + v (frame-major) to v*3 + f (label-major), or back. */
  private static Maps permute(Maps stack, int labels, boolean toLabelMajor) {
    Maps out = stack.zerosLike();
    int plane = stack.plane();
    for (int f = 0; f < FRAMES; f++) {
      for (int v = 0; v < labels; v++) {
        int frameMajor = f * labels + v;
        int labelMajor = v * FRAMES + f;
        int from = toLabelMajor ? frameMajor : labelMajor;
        int to = toLabelMajor ? labelMajor : frameMajor;
        System.arraycopy(stack.data, from * plane, out.data, to * plane, plane);
      }
    }
    return out;
  }

  private static int labels(Maps stack) {
    if (stack.c % FRAMES != 0) {
      throw new IllegalArgumentException(
          "a stack of the three frames' label maps needs a multiple of 3 maps, got " + stack.shape());
    }
    return stack.c / FRAMES;
  }
}
