package org.dpn4j.eval;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dpn4j.data.CamVidDataset;
import org.dpn4j.data.LabelSet;
import org.dpn4j.data.LabelledImage;
import org.dpn4j.data.Sample;
import org.dpn4j.data.SequenceSelection;
import org.dpn4j.value.Maps;
import org.dpn4j.io.Images;
import org.dpn4j.io.LabelMaps;
import org.dpn4j.model.DpnModel;
import org.dpn4j.model.Segmentation;
import org.dpn4j.video.CamVidSequences;
import org.dpn4j.head.DpnHead3d;
import org.dpn4j.value.Flow;
import org.dpn4j.video.FlowMethod;
import org.dpn4j.video.NodeLinks;
import org.dpn4j.video.TemporalConsistency;
import org.dpn4j.head.TriplePenalty3d;

/**
 * The spatio-temporal DPN against the 2D DPN on a CamVid split, in one run over the same unary
 * probabilities (DESIGN.md "Spatio-temporal DPN"): the split's labelled frames are grouped into
 * sequences ({@link CamVidSequences}); each frame t is refined by the model's 2D head alone and by
 * its spatio-temporal head with the neighbouring labelled frames t-1, t+1 warped into t along the
 * flow (a frame at a sequence's end uses only the neighbour it has). Both results go to
 * {@link SegmentationMetrics} at the image's size, and both label maps (at the unary's working size)
 * to a {@link TemporalConsistency} over each pair of consecutive frames, with the node links of the
 * same flow.
 */
public final class TemporalEvaluation {

  /**
   * The metrics of the 2D and the spatio-temporal DPN, their temporal consistency (the fraction of
   * linked pixels whose label changes between consecutive frames; lower is steadier), the number of
   * linked pixels it counts, the frames evaluated and the wall-clock seconds.
   */
  public record Result(MetricsResult dpn2d, MetricsResult dpn3d, double consistency2d, double consistency3d,
      long linkedPixels, int frames, double seconds) {}

  /** One frame while it and its neighbours are in hand. */
  private static final class State {
    final LabelledImage image;
    final Maps work;
    final Maps p;
    NodeLinks toPrevious;
    NodeLinks toNext;
    int[] labels2d;
    int[] labels3d;

    State(LabelledImage image, Maps work, Maps p) {
      this.image = image;
      this.work = work;
      this.p = p;
    }
  }

  private final DpnModel model;
  private final DpnHead3d head3d;
  private final FlowMethod flow;
  private final LabelSet labels;
  private final SegmentationMetrics dpn2d;
  private final SegmentationMetrics dpn3d;
  private final TemporalConsistency consistency2d = new TemporalConsistency();
  private final TemporalConsistency consistency3d = new TemporalConsistency();
  private int frames;

  private TemporalEvaluation(DpnModel model, FlowMethod flow, LabelSet truth) {
    this.model = model;
    this.head3d = model.temporalHead();
    this.flow = flow;
    this.labels = model.config().labels();
    this.dpn2d = new SegmentationMetrics(truth.names(), truth.ignore());
    this.dpn3d = new SegmentationMetrics(truth.names(), truth.ignore());
  }

  /**
   * Evaluates the frames of {@code split} under the CamVid folder {@code root}, sequence by
   * sequence; with {@code limit} (else null) only the first {@code limit} frames in that order.
   *
   * @throws IllegalArgumentException if the model has no spatio-temporal head, or other classes than CamVid's
   */
  public static Result run(DpnModel model, Path root, String split, FlowMethod flow, Integer limit,
      Evaluation.Progress progress) throws IOException {
    return run(model, root, split, SequenceSelection.ALL, flow, limit, progress);
  }

  /**
   * {@link #run(DpnModel, Path, String, FlowMethod, Integer, Evaluation.Progress)} on the sequences
   * {@code selection} keeps (a name the split lacks, or a selection that leaves nothing, is an
   * {@link IllegalArgumentException}).
   */
  public static Result run(DpnModel model, Path root, String split, SequenceSelection selection, FlowMethod flow,
      Integer limit, Evaluation.Progress progress) throws IOException {
    if (model.temporalHead() == null) {
      throw new IllegalArgumentException("the model has no spatio-temporal head (head.temporal); train one with"
          + " dpn train-video");
    }
    CamVidDataset dataset = new CamVidDataset(root);
    if (!model.config().labels().names().equals(dataset.labels().names())) {
      throw new IllegalArgumentException("the model's classes " + model.config().labels().names()
          + " are not CamVid's " + dataset.labels().names());
    }
    Map<Path, Sample> byImage = new HashMap<>();
    Set<String> kept = new HashSet<>();
    for (Sample s : selection.apply(dataset, dataset.samples(split))) {
      byImage.put(s.image().toAbsolutePath().normalize(), s);
      kept.add(dataset.sequence(s));
    }
    List<CamVidSequences.Sequence> sequences = CamVidSequences.fromList(root.resolve(split + ".txt")).stream()
        .filter(q -> kept.contains(q.name())).toList();
    int total = sequences.stream().mapToInt(s -> s.frames().size()).sum();
    if (limit != null) {
      total = Math.min(total, limit);
    }
    TemporalEvaluation e = new TemporalEvaluation(model, flow, dataset.labels());
    long start = System.nanoTime();
    for (CamVidSequences.Sequence seq : sequences) {
      State previous = null;
      State current = null;
      for (Path f : seq.frames()) {
        if (e.frames + (current == null ? 0 : 1) >= total) {
          break;
        }
        LabelledImage image = dataset.read(byImage.get(f.toAbsolutePath().normalize()));
        Maps work = model.unaryInput(image.image());
        State s = new State(image, work, model.unaryProbabilities(work));
        if (current != null) {
          e.link(current, s);
          e.finish(previous, current, s);
          progress.imageDone(e.frames, total, (System.nanoTime() - start) / 1e9);
        }
        previous = current;
        current = s;
      }
      if (current != null) {
        e.finish(previous, current, null);
        progress.imageDone(e.frames, total, (System.nanoTime() - start) / 1e9);
      }
      if (e.frames >= total) {
        break;
      }
    }
    return new Result(e.dpn2d.result(), e.dpn3d.result(), e.consistency2d.changedFraction(),
        e.consistency3d.changedFraction(), e.consistency3d.linked(), e.frames, (System.nanoTime() - start) / 1e9);
  }

  /** Flow both ways between consecutive frames a, b, and the links of each to the other. */
  private void link(State a, State b) {
    Flow ab = flow.compute(a.work, b.work);
    Flow ba = flow.compute(b.work, a.work);
    a.toNext = NodeLinks.between(ab, ba);
    b.toPrevious = NodeLinks.between(ba, ab);
  }

  /** Refines {@code current} both ways, scores both, and adds the pair (previous, current) to the consistencies. */
  private void finish(State previous, State current, State next) {
    Maps refined2d = model.head().refine(current.p, current.work);
    Maps refined3d = head3d.refine(new TriplePenalty3d.Frames(current.p, current.work,
        previous == null ? null : TriplePenalty3d.Neighbour.warped(current.toPrevious, previous.p, previous.work),
        next == null ? null : TriplePenalty3d.Neighbour.warped(current.toNext, next.p, next.work)));
    current.labels2d = LabelMaps.argmax(refined2d);
    current.labels3d = LabelMaps.argmax(refined3d);
    score(dpn2d, current, refined2d);
    score(dpn3d, current, refined3d);
    if (previous != null) {
      consistency2d.add(previous.labels2d, current.labels2d, previous.toNext);
      consistency3d.add(previous.labels3d, current.labels3d, previous.toNext);
    }
    frames++;
  }

  /** The arg-max at the image's size, as {@link Evaluation} scores the 2D DPN. */
  private void score(SegmentationMetrics metrics, State s, Maps refined) {
    Maps rgb = s.image.image();
    Maps probabilities = s.work == rgb ? refined : Images.resizeBilinear(refined, rgb.h, rgb.w);
    Segmentation seg = new Segmentation(rgb, probabilities, labels);
    metrics.add(seg.labels(), s.image.labels(), s.image.w(), s.image.h());
  }
}
