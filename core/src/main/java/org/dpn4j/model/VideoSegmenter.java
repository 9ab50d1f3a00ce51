package org.dpn4j.model;

import org.dpn4j.video.FlowMethod;
import org.dpn4j.video.Frame;
import org.dpn4j.video.FrameSequence;
import org.dpn4j.video.NodeLinks;
import org.dpn4j.video.TemporalConsistency;

import org.dpn4j.value.Flow;
import org.dpn4j.head.DpnHead3d;
import org.dpn4j.head.TriplePenalty3d;

import java.io.IOException;
import org.dpn4j.value.Maps;
import org.dpn4j.io.Images;
import org.dpn4j.io.LabelMaps;

/**
 * Segments the frames of a sequence with the spatio-temporal DPN (DESIGN.md "Spatio-temporal DPN"):
 * per frame t the model's unary p_t at its working size ({@link DpnModel#unaryInput}); flow to and
 * from each neighbour t-1, t+1 ({@link FlowMethod}, on the working-size frames); the node links; the
 * neighbour's unary p_s and colours warped into frame t; and {@link DpnHead3d} with q = p_t and p_t in
 * b15. The probabilities are resized to the frame's size as {@link DpnModel#segment} does.
 *
 * <p>The 3D head is the model's trained one ({@link DpnModel#temporalHead}, from {@code dpn
 * train-video}) when it has one. Otherwise it is {@code DpnHead3d.from(model.head(), m_c)} with the
 * 2D b13's own size m_c: b12's weights are the 2D head's, b13 has the 2D kernels on tau = 0 and zero
 * kernels on tau = +-1. The temporal b12 terms o^{+-1} are computed, but the zero kernels give them
 * no weight, so this untrained 3D head's output equals the 2D head's (up to float rounding) and its
 * labels those of {@code temporal = false}, which runs the 2D head per frame. The flows are computed
 * in both modes, for the {@link TemporalConsistency} of the labels.
 *
 * <p>The frames of a sequence must all have the first frame's size. Frames are read one at a time and
 * at most three are held.
 */
public final class VideoSegmenter {

  /**
   * One frame's result and the time spent on it, no file I/O: the unary's, the frame's share of the
   * flows and node links (those to the next frame), and the head's (with the resizing to the frame's
   * size), in milliseconds.
   */
  public record Result(Frame frame, Segmentation segmentation, double unaryMillis, double flowMillis,
      double headMillis) {

    /** The frame's whole time: unary, flows and head. */
    public double millis() {
      return unaryMillis + flowMillis + headMillis;
    }
  }

  /** Receives each frame's result in order. */
  @FunctionalInterface
  public interface Sink {
    void accept(Result result) throws IOException;
  }

  private final DpnModel model;
  private final FlowMethod flow;
  private final DpnHead3d head3d;
  private final TemporalConsistency consistency = new TemporalConsistency();

  /** With {@code temporal} false the 2D head refines each frame alone. */
  public VideoSegmenter(DpnModel model, FlowMethod flow, boolean temporal) {
    this.model = model;
    this.flow = flow;
    this.head3d = !temporal ? null
        : model.temporalHead() != null ? model.temporalHead() : DpnHead3d.from(model.head(), model.head().b13().size());
  }

  /** The consistency of the labels of every sequence run so far. */
  public TemporalConsistency consistency() {
    return consistency;
  }

  /** Segments every frame of {@code frames} in order. */
  public void run(FrameSequence frames, Sink sink) throws IOException {
    Frame first = null;
    State previous = null;
    State current = null;
    for (Frame f; (f = frames.next()) != null; ) {
      if (first != null) {
        requireSize(f, first);
      } else {
        first = f;
      }
      State s = new State(f);
      if (current != null) {
        link(current, s);
        finish(previous, current, s, sink);
      }
      previous = current;
      current = s;
    }
    if (current != null) {
      finish(previous, current, null, sink);
    }
  }

  private static void requireSize(Frame f, Frame first) throws IOException {
    if (f.rgb().h != first.rgb().h || f.rgb().w != first.rgb().w) {
      throw new IOException(f.name() + ": frame of " + f.rgb().w + "x" + f.rgb().h + ", but the sequence's frames are "
          + first.rgb().w + "x" + first.rgb().h + " (as " + first.name() + ")");
    }
  }

  /** One frame's working data while it and its neighbours are in hand. */
  private final class State {
    final Frame frame;
    final Maps work;
    final Maps p;
    NodeLinks toPrevious;
    NodeLinks toNext;
    int[] labels;
    long unaryNanos;
    long flowNanos;

    State(Frame frame) {
      long t0 = System.nanoTime();
      this.frame = frame;
      this.work = model.unaryInput(frame.rgb());
      this.p = model.unaryProbabilities(work);
      unaryNanos = System.nanoTime() - t0;
    }
  }

  /** Flow both ways between consecutive frames a, b, and the links of each to the other; timed on a. */
  private void link(State a, State b) {
    long t0 = System.nanoTime();
    Flow ab = flow.compute(a.work, b.work);
    Flow ba = flow.compute(b.work, a.work);
    a.toNext = NodeLinks.between(ab, ba);
    b.toPrevious = NodeLinks.between(ba, ab);
    a.flowNanos += System.nanoTime() - t0;
  }

  private void finish(State previous, State current, State next, Sink sink) throws IOException {
    long t0 = System.nanoTime();
    Maps refined = head3d == null ? model.head().refine(current.p, current.work) : head3d.refine(frames(previous, current, next));
    current.labels = LabelMaps.argmax(refined);
    Maps rgb = current.frame.rgb();
    if (current.work != rgb) {
      refined = Images.resizeBilinear(refined, rgb.h, rgb.w);
    }
    Segmentation s = new Segmentation(rgb, refined, model.config().labels());
    long headNanos = System.nanoTime() - t0;
    if (previous != null) {
      consistency.add(previous.labels, current.labels, previous.toNext);
    }
    sink.accept(new Result(current.frame, s, current.unaryNanos / 1e6, current.flowNanos / 1e6, headNanos / 1e6));
  }

  private static TriplePenalty3d.Frames frames(State previous, State current, State next) {
    return new TriplePenalty3d.Frames(current.p, current.work,
        previous == null ? null : TriplePenalty3d.Neighbour.warped(current.toPrevious, previous.p, previous.work),
        next == null ? null : TriplePenalty3d.Neighbour.warped(current.toNext, next.p, next.work));
  }
}
